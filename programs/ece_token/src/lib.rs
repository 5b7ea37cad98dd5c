//! `ece_token`: the ECE SPL mint. Its mint and freeze authority is the config
//! PDA, so tokens exist only through `mint_to` by a listed minter, under the
//! cap, while the platform is not paused. The admin (the treasury multisig PDA)
//! manages minters, cap and admin.
#![no_std]

mod error;
mod instructions;

use ece_shared::{anchor::AnchorError, ids::ECE_TOKEN_ID};
pub use error::TokenError;
use pinocchio::{AccountView, Address, ProgramResult};

pub const ID: Address = ECE_TOKEN_ID;

ece_shared::program_entrypoint!(process_instruction);

pub fn process_instruction(
    program_id: &Address,
    accounts: &mut [AccountView],
    data: &[u8],
) -> ProgramResult {
    let (disc, args) = ece_shared::anchor::instruction(program_id, &ID, data)?;
    use ece_shared::token::ix;
    use instructions::*;
    match disc {
        d if d == mint_to::DISCRIMINATOR => mint_to::process(accounts, args),
        d if d == burn::DISCRIMINATOR => burn::process(accounts, args),
        d if d == initialize::DISCRIMINATOR => initialize::process(accounts, args),
        d if d == ix::ADD_MINTER => minters::add(accounts, args),
        d if d == ix::REMOVE_MINTER => minters::remove(accounts, args),
        d if d == ix::SET_CAP => admin::set_cap(accounts, args),
        d if d == ix::SET_ADMIN => admin::set_admin(accounts, args),
        _ => Err(AnchorError::InstructionFallbackNotFound.into()),
    }
}
