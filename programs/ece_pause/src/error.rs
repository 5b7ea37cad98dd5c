/// Program errors, from 6000 as in Anchor; names and messages are in the IDL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum PauseError {
    NotGuardian = 6000,
    NotAuthority = 6001,
    AlreadyPaused = 6002,
    NotPaused = 6003,
    TooManyGuardians = 6004,
    NoGuardians = 6005,
    DuplicateGuardian = 6006,
    InvalidGuardian = 6007,
    AlreadyInitialized = 6008,
}

ece_shared::custom_error!(PauseError);
