/// How a statement or block finished, for unrolling loops and inlining subroutines.
enum Flow: Sendable {
    case normal
    /// Control certainly left (statically): the rest of the block is dead.
    case exit(ExitKind)
    /// Control may have left at run time (a flag was set); the rest must be guarded by the flags.
    case mayExit

    enum ExitKind: Sendable { case breakLoop, continueLoop, returned, end }
}
