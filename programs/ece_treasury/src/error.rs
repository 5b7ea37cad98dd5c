use pinocchio::error::ProgramError;

/// Program errors, from 6000 as in Anchor; names and messages are in the IDL.
/// `Paused` (6100) is shared by every ECE program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum TreasuryError {
    NotMember = 6000,
    MissingPermission = 6001,
    AlreadyVoted = 6002,
    ProposalNotActive = 6003,
    ProposalNotApproved = 6004,
    TimeLockNotElapsed = 6005,
    AlreadyExecuted = 6006,
    ProposalStale = 6007,
    TooManyMembers = 6008,
    DuplicateMember = 6009,
    InvalidThreshold = 6010,
    MissingRole = 6011,
    InvalidPermissions = 6012,
    InvalidMember = 6013,
    TimeLockTooLong = 6014,
    InvalidRiskPolicy = 6015,
    InvalidRiskScore = 6016,
    ZeroAmount = 6017,
    ArithmeticOverflow = 6018,
    TooManyEntries = 6019,
    EntriesMismatch = 6020,
    NotDraft = 6021,
    NotCreator = 6022,
    WrongMint = 6023,
    WrongRecipient = 6024,
    DestinationOwnerMismatch = 6025,
    InvalidVault = 6026,
    InsufficientVaultBalance = 6027,
    WrongMultisig = 6028,
    CannotClose = 6029,
    RentCollectorMismatch = 6030,
    MemberNotFound = 6031,
    InvalidConfigActions = 6032,
    CannotCancel = 6033,
    AlreadyInitialized = 6034,
    NothingToExecute = 6035,
    ChunkTooLarge = 6036,
    InvalidAction = 6037,
}

impl From<TreasuryError> for ProgramError {
    fn from(e: TreasuryError) -> Self {
        ProgramError::Custom(e as u32)
    }
}
