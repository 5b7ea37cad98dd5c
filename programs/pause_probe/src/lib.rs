//! Test fixture, never deployed to a cluster: calls `require_not_paused` so the
//! tests can measure its compute cost (instruction 1 minus instruction 0, which
//! does everything else the same) and prove it refuses forged pause accounts.
#![no_std]

use ece_shared::pause::require_not_paused;
use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

ece_shared::program_entrypoint!(process_instruction);

pub fn process_instruction(
    _: &Address,
    accounts: &mut [AccountView],
    data: &[u8],
) -> ProgramResult {
    let pause_state = accounts.first().ok_or(ProgramError::NotEnoughAccountKeys)?;
    match data.first() {
        Some(0) => Ok(()),
        Some(1) => require_not_paused(pause_state),
        _ => Err(ProgramError::InvalidInstructionData),
    }
}
