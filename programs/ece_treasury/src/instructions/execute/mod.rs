//! `execute()`: a member with execute permission carries out an approved
//! proposal once its time lock has passed. Payout batches execute in chunks
//! (one recipient account per remaining account, in entry order), so each entry
//! is paid exactly once; everything else executes whole, once.
mod config;
mod pause;
mod payout;
mod token;
mod transfer;

use super::{is_stale, load, now, pause_gate};
use crate::{
    state::{
        get_u32, multisig as ms,
        proposal::{self as p, kind, status},
        put_u64,
    },
    TreasuryError,
};
use ece_shared::{anchor::discriminator, check, event::Event, read::Args, spl::u64_at};
use pinocchio::{AccountView, Address, ProgramResult};

/// What each action's executor works with (one argument: SBF passes at most
/// five in registers).
pub(super) struct Exec<'a> {
    pub ms: &'a [u8],
    pub pd: &'a mut [u8],
    pub multisig: &'a AccountView,
    pub proposal: &'a Address,
    pub pause_state: &'a AccountView,
    /// The accounts after the four every execution takes.
    pub rest: &'a [AccountView],
}

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:execute");
const EVENT: [u8; 8] = discriminator("event:ProposalExecuted");

/// Accounts: executor (signer), multisig (writable for config changes),
/// proposal (writable), pause_state (writable for pause actions), then per
/// action — Transfer: vault, destination, token_program; PayoutBatch: vault,
/// token_program, recipient token accounts; Pause: ece_pause program;
/// Token: token config, ECE mint, ece_token program.
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    check::count(accounts, 4)?;
    Args::new(data).finish()?;
    let (executor, multisig, mut proposal, pause_state) =
        (accounts[0], accounts[1], accounts[2], accounts[3]);
    check::signer(&executor)?;
    let proposal_address = *proposal.address();
    let (ms_data, pd) = load(&multisig, &mut proposal)?;
    let action = pd[p::ACTION];
    pause_gate(&pause_state, action)?;
    ms::require_member(ms_data, executor.address(), ms::EXECUTE)?;
    let time = now()?;
    match pd[p::STATUS] {
        status::APPROVED => {
            if is_stale(ms_data, pd) {
                return Err(TreasuryError::ProposalStale.into());
            }
            let unlock = (u64_at(pd, p::APPROVED_AT) as i64)
                .saturating_add(get_u32(ms_data, ms::TIME_LOCK) as i64);
            if time < unlock {
                return Err(TreasuryError::TimeLockNotElapsed.into());
            }
        }
        status::EXECUTING => {}
        status::EXECUTED => return Err(TreasuryError::AlreadyExecuted.into()),
        _ => return Err(TreasuryError::ProposalNotApproved.into()),
    }

    let mut x = Exec {
        ms: ms_data,
        pd,
        multisig: &multisig,
        proposal: &proposal_address,
        pause_state: &pause_state,
        rest: &accounts[4..],
    };
    let done = match action {
        kind::TRANSFER => transfer::run(&mut x)?,
        kind::PAYOUT_BATCH => payout::run(&mut x)?,
        kind::CONFIG => config::run(&mut x)?,
        kind::PAUSE => pause::run(&mut x)?,
        kind::TOKEN => token::run(&mut x)?,
        _ => return Err(TreasuryError::InvalidAction.into()),
    };
    let pd = x.pd;
    pd[p::STATUS] = if done {
        status::EXECUTED
    } else {
        status::EXECUTING
    };
    put_u64(pd, p::EXECUTED_AT, time as u64);

    Event::<120>::new(&EVENT)
        .address(multisig.address())
        .address(&proposal_address)
        .u64(u64_at(pd, p::INDEX))
        .address(executor.address())
        .u8(action)
        .u8(pd[p::STATUS])
        .emit();
    Ok(())
}
