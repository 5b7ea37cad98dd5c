//! `ece_treasury`: an m-of-n multisig over token vaults, with Squads-v4-like
//! proposal rules. Approvals required grow with a proposal's compliance risk
//! score; payouts are weekly batches executed in chunks; config, pause and
//! token administration go through proposals too.
#![no_std]

mod error;
mod instructions;
mod state;

use ece_shared::{anchor::AnchorError, ids::ECE_TREASURY_ID};
pub use error::TreasuryError;
use pinocchio::{AccountView, Address, ProgramResult};

pub const ID: Address = ECE_TREASURY_ID;

ece_shared::program_entrypoint!(process_instruction);

/// Inlined into the entrypoint: its five register arguments plus the returned
/// `Result` exceed what SBF passes in registers.
#[inline(always)]
pub fn process_instruction(
    program_id: &Address,
    accounts: &mut [AccountView],
    data: &[u8],
) -> ProgramResult {
    let (disc, args) = ece_shared::anchor::instruction(program_id, &ID, data)?;
    use instructions::*;
    // Most frequent first: votes and execution.
    match disc {
        d if d == vote::APPROVE => vote::approve(accounts, args),
        d if d == execute::DISCRIMINATOR => execute::process(accounts, args),
        d if d == vote::REJECT => vote::reject(accounts, args),
        d if d == create_proposal::DISCRIMINATOR => create_proposal::process(accounts, args),
        d if d == append_entries::DISCRIMINATOR => append_entries::process(accounts, args),
        d if d == vote::CANCEL => vote::cancel(accounts, args),
        d if d == close_proposal::DISCRIMINATOR => close_proposal::process(accounts, args),
        d if d == create_vault::DISCRIMINATOR => create_vault::process(accounts, args),
        d if d == create_multisig::DISCRIMINATOR => create_multisig::process(accounts, args),
        _ => Err(AnchorError::InstructionFallbackNotFound.into()),
    }
}
