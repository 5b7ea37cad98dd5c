//! Transfer{mint, to, amount}: from the multisig's vault to a token account of
//! `mint` owned by `to`.
use super::{super::multisig_seeds, Exec};
use crate::{
    state::{multisig as ms, proposal as p, proposal::transfer as t, put_u64},
    TreasuryError,
};
use ece_shared::{
    anchor::AnchorError,
    check,
    ids::SPL_TOKEN_ID,
    read::address_at,
    spl::{self, account, u64_at},
};
use pinocchio::{cpi::Signer, error::ProgramError};

pub fn run(x: &mut Exec) -> Result<bool, ProgramError> {
    let (pd, multisig) = (&mut *x.pd, x.multisig);
    let [vault, destination, token_program, ..] = x.rest else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    check::program(token_program, &SPL_TOKEN_ID)?;
    check::writable(vault)?;
    check::writable(destination)?;
    let mint = address_at(pd, t::MINT);
    let amount = u64_at(pd, t::AMOUNT);
    let v = spl::token_account(vault)?;
    if !check::same(address_at(v, account::MINT), mint) {
        return Err(TreasuryError::WrongMint.into());
    }
    if !check::same(address_at(v, account::OWNER), multisig.address()) {
        return Err(TreasuryError::InvalidVault.into());
    }
    let d = spl::token_account(destination)?;
    if !check::same(address_at(d, account::MINT), mint) {
        return Err(TreasuryError::WrongMint.into());
    }
    if !check::same(address_at(d, account::OWNER), address_at(pd, t::TO)) {
        return Err(TreasuryError::DestinationOwnerMismatch.into());
    }
    if u64_at(v, account::AMOUNT) < amount {
        return Err(TreasuryError::InsufficientVaultBalance.into());
    }
    let bump = [x.ms[ms::BUMP]];
    let seeds = multisig_seeds(x.ms, &bump);
    spl::transfer(
        [vault, destination, multisig],
        amount,
        &Signer::from(&seeds),
    )?;
    put_u64(pd, p::PAID_AMOUNT, amount);
    Ok(true)
}
