//! Token{AddMinter | RemoveMinter | SetCap | SetAdmin}: CPI to `ece_token`
//! with the multisig PDA as its admin.
use super::{super::multisig_seeds, Exec};
use crate::{state::multisig as ms, state::proposal as p, TreasuryError};
use ece_shared::{
    anchor::AnchorError,
    check,
    ids::ECE_TOKEN_ID,
    token::{ix, CONFIG_ADDRESS, MINT_ADDRESS},
};
use pinocchio::{
    cpi::{invoke_signed, Signer},
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
};

pub fn run(x: &mut Exec) -> Result<bool, ProgramError> {
    let (pd, multisig) = (&*x.pd, x.multisig);
    let [config, mint, token_program, ..] = x.rest else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    check::program(token_program, &ECE_TOKEN_ID)?;
    check::address(config, &CONFIG_ADDRESS)?;
    check::address(mint, &MINT_ADDRESS)?;
    let variant = pd[p::ACTION + 1];
    let (disc, arg_len) = match variant {
        0 => (ix::ADD_MINTER, 32),
        1 => (ix::REMOVE_MINTER, 32),
        2 => (ix::SET_CAP, 8),
        3 => (ix::SET_ADMIN, 32),
        _ => return Err(TreasuryError::InvalidAction.into()),
    };
    let mut data = [0u8; 40];
    data[..8].copy_from_slice(&disc);
    data[8..8 + arg_len].copy_from_slice(&pd[p::ACTION + 2..p::ACTION + 2 + arg_len]);
    let metas = [
        InstructionAccount::readonly_signer(multisig.address()),
        InstructionAccount::writable(config.address()),
        InstructionAccount::readonly(mint.address()),
    ];
    // set_cap reads the mint's supply; the others take two accounts.
    let n = if variant == 2 { 3 } else { 2 };
    let ix = InstructionView {
        program_id: &ECE_TOKEN_ID,
        data: &data[..8 + arg_len],
        accounts: &metas[..n],
    };
    let bump = [x.ms[ms::BUMP]];
    let seeds = multisig_seeds(x.ms, &bump);
    invoke_signed(&ix, &[multisig, config, mint], &[Signer::from(&seeds)])?;
    Ok(true)
}
