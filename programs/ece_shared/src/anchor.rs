//! Anchor's wire conventions, computed at compile time.
use pinocchio::error::ProgramError;
use sha2_const_stable::Sha256;

/// First 8 bytes of `sha256(preimage)`: Anchor's discriminator for
/// `global:<ix>`, `account:<Name>` and `event:<Name>`.
pub const fn discriminator(preimage: &str) -> [u8; 8] {
    let hash = Sha256::new().update(preimage.as_bytes()).finalize();
    let mut out = [0u8; 8];
    let mut i = 0;
    while i < 8 {
        out[i] = hash[i];
        i += 1;
    }
    out
}

/// The subset of Anchor's framework error codes (`anchor_lang::error::ErrorCode`)
/// that our account checks raise, so clients name them as they would for an
/// Anchor program. Program-specific errors start at 6000.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum AnchorError {
    InstructionMissing = 100,
    InstructionFallbackNotFound = 101,
    InstructionDidNotDeserialize = 102,
    ConstraintMut = 2000,
    ConstraintSigner = 2002,
    ConstraintSeeds = 2006,
    AccountDiscriminatorMismatch = 3002,
    AccountNotEnoughKeys = 3005,
    AccountNotMutable = 3006,
    AccountOwnedByWrongProgram = 3007,
    InvalidProgramId = 3008,
    AccountNotSigner = 3010,
    AccountNotInitialized = 3012,
    DeclaredProgramIdMismatch = 4100,
}

impl From<AnchorError> for ProgramError {
    fn from(e: AnchorError) -> Self {
        ProgramError::Custom(e as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discriminators_match_anchor() {
        // Values as printed by `anchor idl build` for these names.
        assert_eq!(
            discriminator("global:initialize"),
            [175, 175, 109, 31, 13, 152, 155, 237]
        );
        assert_eq!(
            discriminator("account:PauseState"),
            [21, 123, 173, 77, 60, 203, 197, 145]
        );
    }
}
