//! `append_payout_entries(entries)`: the creator fills a payout batch that
//! did not fit in one transaction, growing the account by the entries added
//! and paying their rent. When the last entry arrives (and the sum equals the
//! batch total) the proposal opens for votes.
use super::sum_entries;
use crate::{
    state::{
        get_u16, program_account,
        proposal::{self as p, kind, payout, status},
        put_u16, put_u32, put_u64,
    },
    TreasuryError,
};
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    event::Event,
    ids::SYSTEM_PROGRAM_ID,
    pause::require_not_paused,
    read::{address_at, Args},
    spl::u64_at,
    system::grow,
};
use pinocchio::{AccountView, ProgramResult};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:append_payout_entries");
const EVENT: [u8; 8] = discriminator("event:PayoutEntriesAdded");

/// Accounts: creator (writable, signer, pays the added rent), proposal
/// (writable), system_program, pause_state.
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [creator, proposal, system_program, pause_state, ..] = accounts else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    let mut args = Args::new(data);
    let n = args.u32()? as usize;
    if n > p::MAX_ENTRIES_PER_IX {
        return Err(TreasuryError::TooManyEntries.into());
    }
    let entries = args.bytes(n * payout::ENTRY_LEN)?;
    args.finish()?;

    check::signer(creator)?;
    check::writable(creator)?;
    check::program(system_program, &SYSTEM_PROGRAM_ID)?;
    require_not_paused(pause_state)?;
    check::writable(proposal)?;
    program_account(proposal, &p::DISCRIMINATOR, p::HEADER_LEN)?;
    let proposal_address = *proposal.address();
    // SAFETY: owned by this program, checked above; no other borrow exists.
    let pd = unsafe { proposal.borrow_unchecked() };
    if pd[p::ACTION] != kind::PAYOUT_BATCH {
        return Err(TreasuryError::InvalidAction.into());
    }
    if pd[p::STATUS] != status::DRAFT {
        return Err(TreasuryError::NotDraft.into());
    }
    if !check::same(creator.address(), address_at(pd, p::CREATOR)) {
        return Err(TreasuryError::NotCreator.into());
    }
    let loaded = get_u16(pd, p::LOADED_ENTRIES) as usize;
    let count = get_u16(pd, payout::ENTRY_COUNT) as usize;
    if loaded + n > count {
        return Err(TreasuryError::TooManyEntries.into());
    }
    let total = u64_at(pd, payout::TOTAL);
    let sum = sum_entries(entries, u64_at(pd, p::LOADED_AMOUNT))?;
    let complete = loaded + n == count;
    if sum > total || (complete && sum != total) {
        return Err(TreasuryError::EntriesMismatch.into());
    }

    // The account holds the loaded entries only: grow it by the new ones.
    let at = payout::ENTRIES + payout::ENTRY_LEN * loaded;
    grow(
        creator,
        proposal,
        at + entries.len(),
        TreasuryError::InsufficientRentFunds.into(),
    )?;
    // SAFETY: resized above; the previous borrow is no longer used.
    let pd = unsafe { proposal.borrow_unchecked_mut() };
    pd[at..at + entries.len()].copy_from_slice(entries);
    let loaded = (loaded + n) as u16;
    put_u32(pd, payout::ENTRIES_LEN, loaded as u32);
    put_u16(pd, p::LOADED_ENTRIES, loaded);
    put_u64(pd, p::LOADED_AMOUNT, sum);
    if complete {
        pd[p::STATUS] = status::ACTIVE;
    }

    Event::<48>::new(&EVENT)
        .address(&proposal_address)
        .u16(loaded)
        .u16(count as u16)
        .u8(pd[p::STATUS])
        .emit();
    Ok(())
}
