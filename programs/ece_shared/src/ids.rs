//! Program IDs, one set for every cluster (the same values stand in `Anchor.toml`
//! and in the SDK; tests check that all three agree).
use solana_address::{address, Address};

pub const ECE_PAUSE_ID: Address = address!("P6n5W6mkTf9czFFhyZwXotZ3DwGGFdKKgHccyMdDMCT");
pub const ECE_TOKEN_ID: Address = address!("E8An4rQ8f3qLH8xSApxZVuQUchEeDwTRAPfbd147G1Mv");
pub const ECE_TREASURY_ID: Address = address!("7JMqBZgsd2sP7ibSKK8Pzr1LM3JN9VSmweWN32dadxJr");
pub const SYSTEM_PROGRAM_ID: Address = Address::new_from_array([0; 32]);
pub const SPL_TOKEN_ID: Address = address!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
