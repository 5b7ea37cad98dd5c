//! Test fixture, never deployed to a cluster: calls `require_not_paused` so the
//! tests can measure its compute cost (instruction 1 minus instruction 0, which
//! does everything else the same) and prove it refuses forged pause accounts.
#![no_std]

use ece_shared::pause::require_not_paused;
use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

#[cfg(all(
    any(target_os = "solana", target_arch = "bpf"),
    not(feature = "no-entrypoint")
))]
use solana_compiler_builtins as _;

#[cfg(not(feature = "no-entrypoint"))]
mod entrypoint {
    pinocchio::program_entrypoint!(super::process_instruction);
    pinocchio::no_allocator!();
    pinocchio::nostd_panic_handler!();
}

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
