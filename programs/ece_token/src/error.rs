/// Program errors, from 6000 as in Anchor; names and messages are in the IDL.
/// `Paused` (6100) is shared by every ECE program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum TokenError {
    NotAdmin = 6000,
    NotMinter = 6001,
    CapExceeded = 6002,
    ZeroAmount = 6003,
    TooManyMinters = 6004,
    MinterExists = 6005,
    MinterNotFound = 6006,
    CapBelowSupply = 6007,
    AlreadyInitialized = 6008,
    InvalidAddress = 6009,
    ArithmeticOverflow = 6010,
    WrongMint = 6011,
    InvalidCap = 6012,
}

ece_shared::custom_error!(TokenError);
