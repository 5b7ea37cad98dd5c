//! `ece_pause`: the platform's emergency switch. Any guardian pauses at once;
//! only the authority (the treasury multisig PDA) unpauses or changes the
//! guardians. Other programs read the flag with `ece_shared::pause`.
#![no_std]

mod error;
mod instructions;

use ece_shared::{anchor::AnchorError, ids::ECE_PAUSE_ID};
pub use error::PauseError;
use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

pub const ID: Address = ECE_PAUSE_ID;

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
    program_id: &Address,
    accounts: &mut [AccountView],
    data: &[u8],
) -> ProgramResult {
    if !ece_shared::check::same(program_id, &ID) {
        return Err(AnchorError::DeclaredProgramIdMismatch.into());
    }
    if data.len() < 8 {
        return Err(AnchorError::InstructionMissing.into());
    }
    let (disc, args) = data.split_at(8);
    use instructions::*;
    match disc {
        d if d == initialize::DISCRIMINATOR => initialize::process(accounts, args),
        d if d == pause::DISCRIMINATOR => pause::process(accounts, args),
        d if d == unpause::DISCRIMINATOR => unpause::process(accounts, args),
        d if d == set_guardians::DISCRIMINATOR => set_guardians::process(accounts, args),
        _ => Err(ProgramError::Custom(
            AnchorError::InstructionFallbackNotFound as u32,
        )),
    }
}
