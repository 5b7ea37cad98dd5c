//! PayoutBatch: pays the next entries, one per recipient account passed, and
//! records how far the batch got; emits `PayoutPaid` per entry.
use super::{super::multisig_seeds, Exec};
use crate::{
    state::multisig as ms,
    state::{
        get_u16, get_u32,
        proposal::{self as p, payout},
        put_u16, put_u64,
    },
    TreasuryError,
};
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    event::Event,
    ids::SPL_TOKEN_ID,
    read::address_at,
    spl::{self, account, u64_at},
};
use pinocchio::{cpi::Signer, error::ProgramError};

const PAID: [u8; 8] = discriminator("event:PayoutPaid");

pub fn run(x: &mut Exec) -> Result<bool, ProgramError> {
    let (pd, multisig, proposal) = (&mut *x.pd, x.multisig, x.proposal);
    let [vault, token_program, recipients @ ..] = x.rest else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    if recipients.is_empty() {
        return Err(TreasuryError::NothingToExecute.into());
    }
    check::program(token_program, &SPL_TOKEN_ID)?;
    check::writable(vault)?;
    let mint = *address_at(pd, payout::MINT);
    let week = get_u32(pd, payout::WEEK);
    let v = spl::token_account(vault)?;
    if !check::same(address_at(v, account::MINT), &mint) {
        return Err(TreasuryError::WrongMint.into());
    }
    if !check::same(address_at(v, account::OWNER), multisig.address()) {
        return Err(TreasuryError::InvalidVault.into());
    }
    let mut balance = u64_at(v, account::AMOUNT);
    let cursor = get_u16(pd, p::EXECUTED_ENTRIES) as usize;
    let count = get_u16(pd, payout::ENTRY_COUNT) as usize;
    if cursor + recipients.len() > count {
        return Err(TreasuryError::ChunkTooLarge.into());
    }
    let mut paid = u64_at(pd, p::PAID_AMOUNT);
    let bump = [x.ms[ms::BUMP]];
    let seeds = multisig_seeds(x.ms, &bump);
    let signer = Signer::from(&seeds);

    // Advanced by addition: a checked multiply by 40 would need a 128-bit
    // builtin that SBF cannot lower.
    let mut entry = payout::ENTRIES + payout::ENTRY_LEN * cursor;
    for (i, recipient) in recipients.iter().enumerate() {
        if !check::same(recipient.address(), address_at(pd, entry)) {
            return Err(TreasuryError::WrongRecipient.into());
        }
        let r = spl::token_account(recipient)?;
        if !check::same(address_at(r, account::MINT), &mint) {
            return Err(TreasuryError::WrongMint.into());
        }
        let amount = u64_at(pd, entry + 32);
        balance = balance
            .checked_sub(amount)
            .ok_or(TreasuryError::InsufficientVaultBalance)?;
        spl::transfer([vault, recipient, multisig], amount, &signer)?;
        paid = paid
            .checked_add(amount)
            .ok_or(TreasuryError::ArithmeticOverflow)?;
        Event::<160>::new(&PAID)
            .address(multisig.address())
            .address(proposal)
            .u32(week)
            .address(recipient.address())
            .address(&mint)
            .u64(amount)
            .u16((cursor + i) as u16)
            .emit();
        entry += payout::ENTRY_LEN;
    }
    let executed = cursor + recipients.len();
    put_u16(pd, p::EXECUTED_ENTRIES, executed as u16);
    put_u64(pd, p::PAID_AMOUNT, paid);
    Ok(executed == count)
}
