//! The pallets whose FRAME benchmarks this runtime runs (`tokenfactory-node benchmark pallet`).

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_block_randomness, BlockRandomness]
	[pallet_sudo, Sudo]
	[pallet_nfts, Nfts]
	[pallet_treasury, Treasury]
	[pallet_preimage, Preimage]
	[pallet_scheduler, Scheduler]
	[pallet_referenda, Referenda]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_payment_channels, PaymentChannels]
	[pallet_equity, Equity]
	[pallet_data_registry, DataRegistry]
	[pallet_compute, Compute]
);
