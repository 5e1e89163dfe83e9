OPENQASM 3.0;
include "stdgates.inc";
gate ccz _gate_q_0, _gate_q_1, _gate_q_2 {
  h _gate_q_2;
  ccx _gate_q_0, _gate_q_1, _gate_q_2;
  h _gate_q_2;
}
gate sxdg _gate_q_0 {
  s _gate_q_0;
  h _gate_q_0;
  s _gate_q_0;
}
gate ryy(p0) _gate_q_0, _gate_q_1 {
  sxdg _gate_q_0;
  sxdg _gate_q_1;
  cx _gate_q_0, _gate_q_1;
  rz(p0) _gate_q_1;
  cx _gate_q_0, _gate_q_1;
  sx _gate_q_0;
  sx _gate_q_1;
}
gate xx_plus_yy(p0, p1) _gate_q_0, _gate_q_1 {
  rz(p1) _gate_q_0;
  sdg _gate_q_1;
  sx _gate_q_1;
  s _gate_q_1;
  s _gate_q_0;
  cx _gate_q_1, _gate_q_0;
  ry((-0.5)*p0) _gate_q_1;
  ry((-0.5)*p0) _gate_q_0;
  cx _gate_q_1, _gate_q_0;
  sdg _gate_q_0;
  sdg _gate_q_1;
  sxdg _gate_q_1;
  s _gate_q_1;
  rz(-p1) _gate_q_0;
}
bit[12] c;
qubit[12] q;
ch q[9], q[4];
ccx q[11], q[3], q[1];
cswap q[6], q[7], q[10];
cswap q[8], q[0], q[5];
u1(1.741015518660096) q[2];
crx(4.5550034370415755) q[4], q[8];
ccz q[0], q[2], q[6];
cswap q[11], q[9], q[10];
cx q[3], q[1];
cu(2.3299293790652174, 0.40574479070625735, 5.286631035689076, 2.5453548828556607) q[7], q[5];
ccx q[2], q[9], q[3];
ryy(3.6058246457563414) q[11], q[0];
cswap q[8], q[7], q[6];
xx_plus_yy(1.6333503223682972, 2.43169630469179) q[1], q[5];
ch q[4], q[10];
cswap q[0], q[11], q[4];
crx(0.0684377337607878) q[6], q[1];
ccx q[2], q[3], q[5];
ch q[8], q[7];
xx_plus_yy(6.078796567374089, 4.1174428603755775) q[9], q[10];
c[0] = measure q[0];
c[1] = measure q[1];
c[2] = measure q[2];
c[3] = measure q[3];
c[4] = measure q[4];
c[5] = measure q[5];
c[6] = measure q[6];
c[7] = measure q[7];
c[8] = measure q[8];
c[9] = measure q[9];
c[10] = measure q[10];
c[11] = measure q[11];
