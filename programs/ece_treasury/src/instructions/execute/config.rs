//! Config: applies the member/threshold/time-lock/policy changes and makes every
//! proposal created so far stale.
use super::Exec;
use crate::state::{config_actions, multisig as ms, proposal as p, put_u64};
use ece_shared::{anchor::discriminator, check, event::Event, read::Args, spl::u64_at};
use pinocchio::error::ProgramError;

const CHANGED: [u8; 8] = discriminator("event:ConfigChanged");

pub fn run(x: &mut Exec) -> Result<bool, ProgramError> {
    let mut multisig = *x.multisig;
    check::writable(&multisig)?;
    let address = *multisig.address();
    let pd = &*x.pd;
    // SAFETY: owned by this program (checked by `load`); the shared view in
    // `x.ms` is not read after this point.
    let ms_data = unsafe { multisig.borrow_unchecked_mut() };
    config_actions::apply(ms_data, &mut Args::new(&pd[p::ACTION + 1..]))?;
    let stale = u64_at(ms_data, ms::TRANSACTION_INDEX);
    put_u64(ms_data, ms::STALE_INDEX, stale);

    let n = ms::member_count(ms_data);
    let tiers = ms_data[ms::TIER_COUNT] as usize;
    Event::<420>::new(&CHANGED)
        .address(&address)
        .u8(ms_data[ms::THRESHOLD])
        .bytes(&ms_data[ms::TIME_LOCK..ms::TIME_LOCK + 4])
        .u64(stale)
        .u32(n as u32)
        .bytes(&ms_data[ms::MEMBERS..ms::MEMBERS + ms::MEMBER_LEN * n])
        .u32(tiers as u32)
        .bytes(&ms_data[ms::TIERS..ms::TIERS + 2 * tiers])
        .emit();
    Ok(true)
}
