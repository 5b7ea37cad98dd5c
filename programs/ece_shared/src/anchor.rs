//! Anchor's wire conventions, computed at compile time.
use pinocchio::{error::ProgramError, Address};
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

crate::custom_error!(AnchorError);

/// Implements `From<$error> for ProgramError` as a custom error code, for a
/// `#[repr(u32)]` error enum.
#[macro_export]
macro_rules! custom_error {
    ($error:ty) => {
        impl From<$error> for pinocchio::error::ProgramError {
            fn from(e: $error) -> Self {
                pinocchio::error::ProgramError::Custom(e as u32)
            }
        }
    };
}

/// What every program's dispatcher does first: refuse another program ID and
/// split the 8-byte instruction discriminator from the arguments.
#[inline(always)]
pub fn instruction<'a>(
    program_id: &Address,
    id: &Address,
    data: &'a [u8],
) -> Result<(&'a [u8], &'a [u8]), ProgramError> {
    if !crate::check::same(program_id, id) {
        return Err(AnchorError::DeclaredProgramIdMismatch.into());
    }
    if data.len() < 8 {
        return Err(AnchorError::InstructionMissing.into());
    }
    Ok(data.split_at(8))
}

/// The SBF entrypoint, no allocator and the panic handler, left out when the
/// crate is built with `no-entrypoint` (linked by another program). On SBF it
/// also links the compiler builtins upstream BPF lacks in a form SBPF accepts.
#[macro_export]
macro_rules! program_entrypoint {
    ($process:ident) => {
        #[cfg(all(
            any(target_os = "solana", target_arch = "bpf"),
            not(feature = "no-entrypoint")
        ))]
        use solana_compiler_builtins as _;

        #[cfg(not(feature = "no-entrypoint"))]
        mod entrypoint {
            pinocchio::program_entrypoint!(super::$process);
            pinocchio::no_allocator!();
            pinocchio::nostd_panic_handler!();
        }
    };
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
