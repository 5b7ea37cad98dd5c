//! `create_multisig(members, threshold, time_lock_seconds, risk_policy)`: the
//! multisig PDA `["multisig", create_key]`. `create_key` signs, so nobody can
//! take a multisig address someone else is about to use.
use super::create_at;
use crate::{
    state::{config_actions::risk_policy, multisig as ms, put_u32},
    TreasuryError,
};
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    event::Event,
    ids::SYSTEM_PROGRAM_ID,
    pause::require_not_paused,
    read::Args,
    system::Space,
};
use pinocchio::{AccountView, ProgramResult};

pub const DISCRIMINATOR: [u8; 8] = discriminator("global:create_multisig");
const EVENT: [u8; 8] = discriminator("event:MultisigCreated");

/// Accounts: creator (writable, signer, pays), create_key (signer), multisig
/// (writable), system_program, pause_state.
pub fn process(accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [creator, create_key, multisig, system_program, pause_state, ..] = accounts else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    let mut args = Args::new(data);
    let n = args.u32()? as usize;
    if n > ms::MAX_MEMBERS {
        return Err(TreasuryError::TooManyMembers.into());
    }
    let members = args.bytes(n * ms::MEMBER_LEN)?;
    let threshold = args.u8()?;
    let time_lock = args.u32()?;
    let tiers = risk_policy(&mut args)?;
    args.finish()?;

    check::signer(creator)?;
    check::writable(creator)?;
    check::signer(create_key)?;
    check::writable(multisig)?;
    check::program(system_program, &SYSTEM_PROGRAM_ID)?;
    require_not_paused(pause_state)?;

    let mut state = [0u8; ms::LEN];
    state[..8].copy_from_slice(&ms::DISCRIMINATOR);
    state[ms::CREATE_KEY..ms::CREATE_KEY + 32].copy_from_slice(create_key.address().as_ref());
    state[ms::THRESHOLD] = threshold;
    state[ms::MEMBER_COUNT] = n as u8;
    put_u32(&mut state, ms::TIME_LOCK, time_lock);
    ms::set_risk_policy(&mut state, tiers);
    state[ms::MEMBERS..ms::MEMBERS + members.len()].copy_from_slice(members);
    ms::validate(&state)?;

    let space = Space {
        len: ms::LEN,
        owner: &crate::ID,
    };
    state[ms::BUMP] = create_at(
        creator,
        multisig,
        &[ms::SEED, create_key.address().as_ref()],
        &space,
    )?;
    multisig.try_borrow_mut()?.copy_from_slice(&state);

    Event::<512>::new(&EVENT)
        .address(multisig.address())
        .address(create_key.address())
        .address(creator.address())
        .u8(threshold)
        .u32(time_lock)
        .u32(n as u32)
        .bytes(members)
        .u32((tiers.len() / 2) as u32)
        .bytes(tiers)
        .emit();
    Ok(())
}
