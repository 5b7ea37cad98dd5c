//! Pause{Unpause | SetGuardians}: CPI to `ece_pause` with the multisig PDA as
//! its authority. Allowed while paused: this is how the platform resumes.
use super::{super::multisig_seeds, Exec};
use crate::{state::multisig as ms, state::proposal as p, TreasuryError};
use ece_shared::{
    anchor::{discriminator, AnchorError},
    check,
    ids::ECE_PAUSE_ID,
    pause::MAX_GUARDIANS,
};
use pinocchio::{
    cpi::{invoke_signed, Signer},
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
};

const UNPAUSE: [u8; 8] = discriminator("global:unpause");
const SET_GUARDIANS: [u8; 8] = discriminator("global:set_guardians");

pub fn run(x: &mut Exec) -> Result<bool, ProgramError> {
    let (pd, multisig, pause_state) = (&*x.pd, x.multisig, x.pause_state);
    let [pause_program, ..] = x.rest else {
        return Err(AnchorError::AccountNotEnoughKeys.into());
    };
    check::program(pause_program, &ECE_PAUSE_ID)?;
    check::writable(pause_state)?;
    let mut data = [0u8; 8 + 4 + 32 * MAX_GUARDIANS];
    let len = match pd[p::ACTION + 1] {
        0 => {
            data[..8].copy_from_slice(&UNPAUSE);
            8
        }
        1 => {
            // Borsh Vec<Pubkey>: the same bytes set_guardians takes.
            let raw = &pd[p::ACTION + 2..];
            let n = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]) as usize;
            let len = 4 + 32 * n.min(MAX_GUARDIANS);
            data[..8].copy_from_slice(&SET_GUARDIANS);
            data[8..8 + len].copy_from_slice(&raw[..len]);
            8 + len
        }
        _ => return Err(TreasuryError::InvalidAction.into()),
    };
    let metas = [
        InstructionAccount::readonly_signer(multisig.address()),
        InstructionAccount::writable(pause_state.address()),
    ];
    let ix = InstructionView {
        program_id: &ECE_PAUSE_ID,
        data: &data[..len],
        accounts: &metas,
    };
    let bump = [x.ms[ms::BUMP]];
    let seeds = multisig_seeds(x.ms, &bump);
    invoke_signed(&ix, &[multisig, pause_state], &[Signer::from(&seeds)])?;
    Ok(true)
}
