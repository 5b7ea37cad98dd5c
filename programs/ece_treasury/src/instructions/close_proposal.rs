//! `close_proposal()`: returns a finished proposal's lamports (its rent, with
//! what appends to a payout batch added) to its creator.
//! Anyone may call it; the rent can only go to the creator. A payout batch that
//! paid anything is never closed: its PDA keeps the week from being paid twice.
use super::{is_stale, load, pause_gate};
use crate::{
    state::{
        get_u16,
        proposal::{self as p, kind, status},
    },
    TreasuryError,
};
use ece_shared::{
    anchor::discriminator,
    check,
    event::Event,
    read::{address_at, Args},
    spl::u64_at,
};
use pinocchio::{AccountView, ProgramResult};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:close_proposal");
const EVENT: [u8; 8] = discriminator("event:ProposalClosed");

/// Accounts: multisig, proposal (writable), rent_collector (writable, the
/// proposal's creator), pause_state.
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    check::count(accounts, 4)?;
    Args::new(data).finish()?;
    let (multisig, mut proposal, mut collector, pause_state) =
        (accounts[0], accounts[1], accounts[2], accounts[3]);
    let (ms_data, pd) = load(&multisig, &mut proposal)?;
    let action = pd[p::ACTION];
    pause_gate(&pause_state, action)?;
    if !check::same(collector.address(), address_at(pd, p::CREATOR)) {
        return Err(TreasuryError::RentCollectorMismatch.into());
    }
    check::writable(&collector)?;
    let paid_out = action == kind::PAYOUT_BATCH && get_u16(pd, p::EXECUTED_ENTRIES) > 0;
    let closable = match pd[p::STATUS] {
        status::REJECTED | status::CANCELLED => !paid_out,
        status::EXECUTED => action != kind::PAYOUT_BATCH,
        status::DRAFT | status::ACTIVE | status::APPROVED => is_stale(ms_data, pd),
        _ => false,
    };
    if !closable {
        return Err(TreasuryError::CannotClose.into());
    }
    let index = u64_at(pd, p::INDEX);

    let lamports = proposal.lamports();
    collector.set_lamports(
        collector
            .lamports()
            .checked_add(lamports)
            .ok_or(TreasuryError::ArithmeticOverflow)?,
    );
    proposal.set_lamports(0);
    proposal.close()?;

    Event::<80>::new(&EVENT)
        .address(multisig.address())
        .address(proposal.address())
        .u64(index)
        .emit();
    Ok(())
}
