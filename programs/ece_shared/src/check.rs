//! Explicit account checks. Each failure maps to the Anchor error a client
//! would see for the same constraint in an Anchor program.
use crate::anchor::AnchorError;
use pinocchio::{error::ProgramError, AccountView, Address};

#[inline(always)]
pub fn signer(account: &AccountView) -> Result<(), ProgramError> {
    if account.is_signer() {
        Ok(())
    } else {
        Err(AnchorError::AccountNotSigner.into())
    }
}

#[inline(always)]
pub fn writable(account: &AccountView) -> Result<(), ProgramError> {
    if account.is_writable() {
        Ok(())
    } else {
        Err(AnchorError::AccountNotMutable.into())
    }
}

#[inline(always)]
pub fn owner(account: &AccountView, program: &Address) -> Result<(), ProgramError> {
    if account.owned_by(program) {
        Ok(())
    } else if account.lamports() == 0 {
        Err(AnchorError::AccountNotInitialized.into())
    } else {
        Err(AnchorError::AccountOwnedByWrongProgram.into())
    }
}

#[inline(always)]
pub fn address(account: &AccountView, expected: &Address) -> Result<(), ProgramError> {
    if account.address() == expected {
        Ok(())
    } else {
        Err(AnchorError::ConstraintSeeds.into())
    }
}

#[inline(always)]
pub fn program(account: &AccountView, id: &Address) -> Result<(), ProgramError> {
    if account.address() == id {
        Ok(())
    } else {
        Err(AnchorError::InvalidProgramId.into())
    }
}

/// Data is at least `len` bytes and starts with `disc`.
#[inline(always)]
pub fn discriminator(data: &[u8], disc: &[u8; 8], len: usize) -> Result<(), ProgramError> {
    if data.len() >= len && data[..8] == disc[..] {
        Ok(())
    } else {
        Err(AnchorError::AccountDiscriminatorMismatch.into())
    }
}
