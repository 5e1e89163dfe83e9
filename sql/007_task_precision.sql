-- 007: the floating-point precision a task's state vector is simulated in. 'double' (complex128) is what every
-- task ran in before; 'single' (complex64) halves the memory per amplitude. Existing rows become 'double'.
ALTER TABLE tasks ADD COLUMN precision text NOT NULL DEFAULT 'double'
    CONSTRAINT tasks_precision_check CHECK (precision IN ('single', 'double'));
