//! `create_proposal(action, risk_score, compliance_hash)`: a proposal PDA
//! `["proposal", multisig, index]`, or `["payout", multisig, mint, week]` for a
//! payout batch so that a week can be proposed only once per mint. Actions are
//! checked now (a config change on a copy of the multisig), not at execution.
use super::{create_at, now, pause_gate, sum_entries};
use crate::{
    state::{
        config_actions, multisig as ms, program_account,
        proposal::{self as p, kind, payout, status},
        put_u16, put_u64,
    },
    TreasuryError,
};
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    event::Event,
    ids::SYSTEM_PROGRAM_ID,
    pause::MAX_GUARDIANS,
    read::Args,
    spl::u64_at,
    system::Space,
};
use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:create_proposal");
const EVENT: [u8; 8] = discriminator("event:ProposalCreated");

/// What parsing an action found.
struct Parsed {
    /// Bytes the action takes in the account (a payout batch: the entries it
    /// carries; appends grow the account by theirs).
    stored_len: usize,
    /// Payout batch: entries given now and their sum, and the PDA seeds.
    loaded: u16,
    loaded_amount: u64,
    complete: bool,
    payout_seed: Option<(Address, [u8; 4])>,
}

impl Parsed {
    fn plain(len: usize) -> Self {
        Self {
            stored_len: len,
            loaded: 0,
            loaded_amount: 0,
            complete: true,
            payout_seed: None,
        }
    }
}

/// Accounts: creator (writable, signer, member with propose permission, pays),
/// multisig (writable), proposal (writable), system_program, pause_state.
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [creator, multisig, proposal, system_program, pause_state, ..] = accounts else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    check::signer(creator)?;
    check::writable(creator)?;
    check::writable(multisig)?;
    check::writable(proposal)?;
    check::program(system_program, &SYSTEM_PROGRAM_ID)?;
    program_account(multisig, &ms::DISCRIMINATOR, ms::LEN)?;
    let ms_address = *multisig.address();
    let proposal_address = *proposal.address();
    // SAFETY: owned by this program, checked above; no other borrow exists.
    let ms_data = unsafe { multisig.borrow_unchecked_mut() };
    ms::require_member(ms_data, creator.address(), ms::PROPOSE)?;

    let mut args = Args::new(data);
    let action_kind = *data
        .first()
        .ok_or(AnchorError::InstructionDidNotDeserialize)?;
    pause_gate(pause_state, action_kind)?;
    let parsed = parse_action(ms_data, &mut args)?;
    let action = &data[..data.len() - args.rest().len()];
    let risk_score = args.u8()?;
    let compliance_hash = args.bytes(32)?;
    args.finish()?;
    if risk_score > 100 {
        return Err(TreasuryError::InvalidRiskScore.into());
    }

    let index = u64_at(ms_data, ms::TRANSACTION_INDEX)
        .checked_add(1)
        .ok_or(TreasuryError::ArithmeticOverflow)?;
    let index_bytes = index.to_le_bytes();
    let space = Space {
        len: p::ACTION + parsed.stored_len,
        owner: &crate::ID,
    };
    let bump = match &parsed.payout_seed {
        Some((mint, week)) => create_at(
            creator,
            proposal,
            &[p::PAYOUT_SEED, ms_address.as_ref(), mint.as_ref(), week],
            &space,
        )?,
        None => create_at(
            creator,
            proposal,
            &[p::SEED, ms_address.as_ref(), &index_bytes],
            &space,
        )?,
    };

    let required = ms::required_approvals(ms_data, risk_score);
    let created_at = now()?;
    let state = if parsed.complete {
        status::ACTIVE
    } else {
        status::DRAFT
    };
    // SAFETY: created above by this instruction; no other borrow exists.
    let pd = unsafe { proposal.borrow_unchecked_mut() };
    pd[..8].copy_from_slice(&p::DISCRIMINATOR);
    pd[p::MULTISIG..p::MULTISIG + 32].copy_from_slice(ms_address.as_ref());
    put_u64(pd, p::INDEX, index);
    pd[p::CREATOR..p::CREATOR + 32].copy_from_slice(creator.address().as_ref());
    pd[p::STATUS] = state;
    pd[p::BUMP] = bump;
    pd[p::RISK_SCORE] = risk_score;
    pd[p::REQUIRED] = required;
    pd[p::VOTERS] = ms::voters(ms_data);
    put_u64(pd, p::CREATED_AT, created_at as u64);
    pd[p::COMPLIANCE_HASH..p::COMPLIANCE_HASH + 32].copy_from_slice(compliance_hash);
    pd[p::ACTION..p::ACTION + action.len()].copy_from_slice(action);
    // The action's own `entries` length stays: the entries loaded so far.
    if action_kind == kind::PAYOUT_BATCH {
        put_u16(pd, p::LOADED_ENTRIES, parsed.loaded);
        put_u64(pd, p::LOADED_AMOUNT, parsed.loaded_amount);
    }
    put_u64(ms_data, ms::TRANSACTION_INDEX, index);

    Event::<120>::new(&EVENT)
        .address(&ms_address)
        .address(&proposal_address)
        .u64(index)
        .u8(action_kind)
        .address(creator.address())
        .u8(risk_score)
        .u8(required)
        .u8(state)
        .emit();
    Ok(())
}

/// Reads and checks one `ProposalAction`.
fn parse_action(ms_data: &[u8], args: &mut Args) -> Result<Parsed, ProgramError> {
    let start = args.rest().len();
    let consumed = |args: &Args| start - args.rest().len();
    match args.u8()? {
        kind::TRANSFER => {
            args.address()?;
            let to = args.address()?;
            if check::same(to, &SYSTEM_PROGRAM_ID) {
                return Err(TreasuryError::InvalidAction.into());
            }
            if args.u64()? == 0 {
                return Err(TreasuryError::ZeroAmount.into());
            }
            Ok(Parsed::plain(consumed(args)))
        }
        kind::PAYOUT_BATCH => {
            let mint = *args.address()?;
            let week = args.u32()?;
            let total = args.u64()?;
            let count = args.u16()? as usize;
            let n = args.u32()? as usize;
            if count == 0 || count > p::MAX_PAYOUT_ENTRIES || n > count.min(p::MAX_ENTRIES_PER_IX) {
                return Err(TreasuryError::TooManyEntries.into());
            }
            if total == 0 {
                return Err(TreasuryError::ZeroAmount.into());
            }
            let sum = sum_entries(args.bytes(n * payout::ENTRY_LEN)?, 0)?;
            if sum > total || (n == count && sum != total) {
                return Err(TreasuryError::EntriesMismatch.into());
            }
            Ok(Parsed {
                stored_len: payout::ENTRIES - p::ACTION + n * payout::ENTRY_LEN,
                loaded: n as u16,
                loaded_amount: sum,
                complete: n == count,
                payout_seed: Some((mint, week.to_le_bytes())),
            })
        }
        kind::CONFIG => {
            let mut copy = [0u8; ms::LEN];
            copy.copy_from_slice(&ms_data[..ms::LEN]);
            config_actions::apply(&mut copy, args)?;
            Ok(Parsed::plain(consumed(args)))
        }
        kind::PAUSE => {
            match args.u8()? {
                0 => {}
                1 => {
                    let guardians =
                        args.address_vec(MAX_GUARDIANS, TreasuryError::InvalidAction.into())?;
                    if guardians.is_empty() {
                        return Err(TreasuryError::InvalidAction.into());
                    }
                }
                _ => return Err(TreasuryError::InvalidAction.into()),
            }
            Ok(Parsed::plain(consumed(args)))
        }
        kind::TOKEN => {
            match args.u8()? {
                0 | 1 | 3 => {
                    if check::same(args.address()?, &SYSTEM_PROGRAM_ID) {
                        return Err(TreasuryError::InvalidAction.into());
                    }
                }
                2 => {
                    if args.u64()? == 0 {
                        return Err(TreasuryError::InvalidAction.into());
                    }
                }
                _ => return Err(TreasuryError::InvalidAction.into()),
            }
            Ok(Parsed::plain(consumed(args)))
        }
        _ => Err(TreasuryError::InvalidAction.into()),
    }
}
