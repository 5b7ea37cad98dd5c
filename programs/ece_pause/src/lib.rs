//! `ece_pause`: the platform's emergency switch. Any guardian pauses at once;
//! only the authority (the treasury multisig PDA) unpauses or changes the
//! guardians. Other programs read the flag with `ece_shared::pause`.
#![no_std]

mod error;
mod instructions;

use ece_shared::{anchor::AnchorError, ids::ECE_PAUSE_ID};
pub use error::PauseError;
use pinocchio::{AccountView, Address, ProgramResult};

pub const ID: Address = ECE_PAUSE_ID;

ece_shared::program_entrypoint!(process_instruction);

pub fn process_instruction(
    program_id: &Address,
    accounts: &mut [AccountView],
    data: &[u8],
) -> ProgramResult {
    let (disc, args) = ece_shared::anchor::instruction(program_id, &ID, data)?;
    use instructions::*;
    match disc {
        d if d == initialize::DISCRIMINATOR => initialize::process(accounts, args),
        d if d == pause::DISCRIMINATOR => pause::process(accounts, args),
        d if d == unpause::DISCRIMINATOR => unpause::process(accounts, args),
        d if d == set_guardians::DISCRIMINATOR => set_guardians::process(accounts, args),
        _ => Err(AnchorError::InstructionFallbackNotFound.into()),
    }
}
