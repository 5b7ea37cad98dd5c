//! Helpers shared by the ECE programs. `no_std`, no allocation.
//!
//! The programs are written with pinocchio but speak Anchor's wire format
//! (discriminators, events, error codes) so that `@coral-xyz/anchor` clients and
//! tooling work unchanged against them.
#![no_std]

pub mod anchor;
pub mod check;
pub mod event;
pub mod ids;
pub mod pause;
pub mod pda;
pub mod read;
pub mod spl;
pub mod system;
pub mod token;
