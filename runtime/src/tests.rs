//! Runtime-level checks of the configuration: presets, governance tracks, block limits.

use crate::{
	configs::{RuntimeBlockLength, TracksInfo},
	genesis_config_presets::{self, DEV_ENDOWMENT},
	AllPalletsWithSystem, Balances, Grandpa, OriginCaller, Runtime, RuntimeGenesisConfig,
};
use polkadot_sdk::{
	frame_support::{
		dispatch::DispatchClass,
		genesis_builder_helper::build_state,
		traits::{fungible::Inspect, IntegrityTest},
	},
	frame_system::RawOrigin,
	pallet_referenda::TracksInfo as _,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::BuildStorage,
};

/// Applies a preset's JSON patch to the default genesis config, as the node does.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

fn genesis_of(preset: &str) -> TestExternalities {
	let patch = genesis_config_presets::get_preset(&preset.into())
		.unwrap_or_else(|| panic!("preset {preset} is missing"));
	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).expect("default config serializes");
	merge(&mut config, serde_json::from_slice(&patch).expect("preset is JSON"));
	let json = serde_json::to_vec(&config).expect("config serializes");
	let mut ext: TestExternalities =
		RuntimeGenesisConfig::default().build_storage().expect("default genesis builds").into();
	ext.execute_with(|| build_state::<RuntimeGenesisConfig>(json).expect("preset genesis builds"));
	ext
}

#[test]
fn every_pallet_passes_its_integrity_test() {
	TestExternalities::default().execute_with(AllPalletsWithSystem::integrity_test);
}

#[test]
fn dev_preset_has_alice_as_sole_authority_and_sudo() {
	genesis_of(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(polkadot_sdk::pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(Grandpa::grandpa_authorities().len(), 1);
		assert_eq!(
			polkadot_sdk::pallet_sudo::Key::<Runtime>::get(),
			Some(Sr25519Keyring::Alice.to_account_id())
		);
		assert_eq!(Balances::balance(&Sr25519Keyring::Bob.to_account_id()), DEV_ENDOWMENT);
	});
}

#[test]
fn local_preset_has_three_authorities_and_no_sudo_key() {
	genesis_of(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(polkadot_sdk::pallet_aura::Authorities::<Runtime>::get().len(), 3);
		assert_eq!(Grandpa::grandpa_authorities().len(), 3);
		assert_eq!(
			polkadot_sdk::pallet_sudo::Key::<Runtime>::get(),
			None,
			"Root must be reachable only by referendum"
		);
	});
}

#[test]
fn unknown_preset_is_refused() {
	assert!(genesis_config_presets::get_preset(&"mainnet".into()).is_none());
	assert_eq!(genesis_config_presets::preset_names().len(), 2);
}

#[test]
fn governance_tracks_are_well_formed() {
	TracksInfo::check_integrity().expect("tracks sorted, unique and well-formed");
}

#[test]
fn only_root_origin_maps_to_the_root_track() {
	assert_eq!(TracksInfo::track_for(&OriginCaller::system(RawOrigin::Root)), Ok(0));
	let alice = Sr25519Keyring::Alice.to_account_id();
	assert!(TracksInfo::track_for(&OriginCaller::system(RawOrigin::Signed(alice))).is_err());
	assert!(TracksInfo::track_for(&OriginCaller::system(RawOrigin::None)).is_err());
}

#[test]
fn real_root_track_gives_holders_weeks_to_decide() {
	let root = TracksInfo::info(0).expect("root track exists");
	if cfg!(feature = "fast-runtime") {
		assert!(root.decision_period < crate::HOURS);
	} else {
		assert_eq!(root.decision_period, 28 * crate::DAYS);
		assert_eq!(root.prepare_period, 2 * crate::HOURS);
	}
}

#[test]
fn a_runtime_upgrade_fits_in_one_block() {
	use polkadot_sdk::sp_maybe_compressed_blob::{compress_strongly, CODE_BLOB_BOMB_LIMIT};
	let wasm = crate::WASM_BINARY.unwrap_or_default();
	let operational = *RuntimeBlockLength::get().max.get(DispatchClass::Operational) as usize;
	// A release build ships the code zstd-compressed (the dev profile's wasm builder skips
	// that step; `set_code` accepts both): `apply_authorized_upgrade(code)` is operational,
	// and the compressed code must fit with room for the runtime to grow by half.
	let compressed = compress_strongly(wasm, CODE_BLOB_BOMB_LIMIT).map(|code| code.len()).unwrap_or(wasm.len());
	assert!(compressed * 3 / 2 < operational, "compressed runtime {compressed} B vs block {operational} B");
	// The uncompressed development build, which the network tests upgrade to, fits as it is.
	assert!(wasm.len() < operational, "runtime {} B vs block {operational} B", wasm.len());
}

#[test]
fn existential_deposit_is_below_a_micro_payment() {
	// A data call costs cents; an account holding one call's worth must not be reaped.
	assert!(crate::EXISTENTIAL_DEPOSIT <= crate::UNIT / 100);
}

/// The Token Factory pallets, driven through the runtime's own calls and configuration.
mod token_factory {
	use super::genesis_of;
	use crate::{
		Balances, Equity, PaymentChannels, Runtime, RuntimeCall, RuntimeOrigin, System, UNIT,
	};
	use polkadot_sdk::{
		frame_support::{
			assert_noop, assert_ok, dispatch::GetDispatchInfo, traits::fungible::Inspect,
			traits::Get,
		},
		sp_genesis_builder::DEV_RUNTIME_PRESET,
		sp_keyring::Sr25519Keyring,
		sp_runtime::{MultiSignature, Perbill},
	};
	use tokenfactory_primitives::{revenue::RevenueSink, voucher::Voucher};

	#[test]
	fn equity_ledger_has_no_calls_of_its_own() {
		let polkadot_sdk::frame_support::__private::metadata::RuntimeMetadata::V14(metadata) =
			Runtime::metadata().1
		else {
			panic!("the default metadata is v14");
		};
		let ledger = metadata
			.pallets
			.iter()
			.find(|pallet| pallet.name == "EquityLedger")
			.expect("the ledger is in the runtime");
		assert!(ledger.calls.is_none(), "shares must only move through Equity's rules");
		assert!(metadata.pallets.iter().any(|p| p.name == "Equity" && p.calls.is_some()));
	}

	#[test]
	fn an_agent_pays_a_gateway_by_voucher_and_the_gateway_claims() {
		genesis_of(DEV_RUNTIME_PRESET).execute_with(|| {
			System::set_block_number(1);
			let agent = Sr25519Keyring::Eve;
			let gateway = Sr25519Keyring::Ferdie.to_account_id();
			let before = Balances::balance(&gateway);
			assert_ok!(PaymentChannels::open(
				RuntimeOrigin::signed(agent.to_account_id()),
				gateway.clone().into(),
				10 * UNIT,
			));
			let channel = 0;
			let voucher = Voucher::new(channel, 3 * UNIT);
			let genesis = PaymentChannels::genesis_hash();
			let signature = MultiSignature::Sr25519(agent.sign(&voucher.signing_payload(&genesis)));
			assert_ok!(PaymentChannels::claim(
				RuntimeOrigin::signed(gateway.clone()),
				voucher.clone(),
				signature.clone()
			));
			assert_eq!(Balances::balance(&gateway), before + 3 * UNIT);
			// The same voucher again pays nothing more.
			assert!(PaymentChannels::claim(
				RuntimeOrigin::signed(gateway.clone()),
				voucher,
				signature
			)
			.is_err());
			assert_eq!(Balances::balance(&gateway), before + 3 * UNIT);
		});
	}

	#[test]
	fn data_revenue_reaches_shareholders_pro_rata() {
		genesis_of(DEV_RUNTIME_PRESET).execute_with(|| {
			System::set_block_number(1);
			let hospital = Sr25519Keyring::Alice.to_account_id();
			let (ada, bo) =
				(Sr25519Keyring::Bob.to_account_id(), Sr25519Keyring::Charlie.to_account_id());
			assert_ok!(Equity::create_class(
				RuntimeOrigin::signed(hospital.clone()),
				b"Hospital Data".to_vec().try_into().expect("short"),
				b"HOSP".to_vec().try_into().expect("short"),
				1_000,
				pallet_equity::Compliance::Open,
				None,
				pallet_equity::GovernanceParams {
					proposal_threshold: 10,
					quorum: Perbill::from_percent(50),
					approval: Perbill::from_percent(50),
					voting_period: <Runtime as pallet_equity::Config>::MinVotingPeriod::get(),
				},
			));
			let class = 0;
			assert_ok!(Equity::issue(
				RuntimeOrigin::signed(hospital.clone()),
				class,
				ada.clone(),
				750
			));
			assert_ok!(Equity::issue(
				RuntimeOrigin::signed(hospital.clone()),
				class,
				bo.clone(),
				250
			));
			assert_eq!(crate::EquityLedger::balance(class, &ada), 750);

			// The compute pallet routes a call's owner share through the trait.
			let revenue = 8 * UNIT;
			assert_ok!(<Equity as RevenueSink<_, _, _>>::deposit_dividend(
				&hospital, class, revenue
			));

			let (ada_before, bo_before) = (Balances::balance(&ada), Balances::balance(&bo));
			for who in [&ada, &bo] {
				let claim = RuntimeCall::Equity(pallet_equity::Call::claim { class });
				let fee_weight = claim.get_dispatch_info().call_weight;
				assert!(fee_weight.ref_time() > 0);
				assert_ok!(Equity::claim(RuntimeOrigin::signed(who.clone()), class));
			}
			assert_eq!(Balances::balance(&ada) - ada_before, 6 * UNIT);
			assert_eq!(Balances::balance(&bo) - bo_before, 2 * UNIT);
			assert_noop!(
				Equity::claim(RuntimeOrigin::signed(ada.clone()), class),
				pallet_equity::Error::<Runtime>::NothingToClaim
			);
		});
	}

	#[test]
	fn a_dataset_token_is_minted_uploaded_and_activated() {
		use pallet_data_registry::{
			BlobKind, BlobSpec, BlobTarget, Column, DatasetDescription, DatasetStatus,
			DatasetTerms, ProgramPolicy,
		};
		use polkadot_sdk::{pallet_nfts, sp_io::hashing::blake2_256};
		use tokenfactory_primitives::datasets::{ColumnWidth, ProgramKind};

		genesis_of(DEV_RUNTIME_PRESET).execute_with(|| {
			System::set_block_number(1);
			let hospital = Sr25519Keyring::Alice.to_account_id();
			let origin = || RuntimeOrigin::signed(hospital.clone());
			assert_ok!(crate::Nfts::create(
				origin(),
				hospital.clone().into(),
				pallet_nfts::CollectionConfig {
					settings: pallet_nfts::CollectionSettings::all_enabled(),
					max_supply: None,
					mint_settings: pallet_nfts::MintSettings::default(),
				},
			));
			let blob = |seed: u8, len: usize| -> Vec<u8> { (0..len).map(|i| seed ^ i as u8).collect() };
			let spec = |kind, bytes: &Vec<u8>| BlobSpec {
				kind,
				size: bytes.len() as u32,
				hash: blake2_256(bytes),
			};
			let keys = [blob(1, 3000), blob(2, 500), blob(3, 700)];
			let kinds = [BlobKind::ServerKeyChunk, BlobKind::PublicKey, BlobKind::ProofParameters];
			assert_ok!(crate::DataRegistry::register_key_set(
				origin(),
				1,
				[9; 32],
				keys.iter().zip(kinds).map(|(b, k)| spec(k, b)).collect::<Vec<_>>().try_into().expect("3 blobs")
			));
			for (index, bytes) in keys.iter().enumerate() {
				assert_ok!(crate::DataRegistry::upload_chunk(
					origin(),
					BlobTarget::KeySet(0),
					index as u32,
					bytes.clone().try_into().expect("below MaxChunkSize")
				));
			}
			let rows = blob(4, 64 * 1024);
			fn bounded<S: Get<u32>>(bytes: &[u8]) -> polkadot_sdk::frame_support::BoundedVec<u8, S> {
				bytes.to_vec().try_into().expect("short")
			}
			assert_ok!(crate::DataRegistry::register(
				origin(),
				0,
				0,
				DatasetDescription::<Runtime> {
					name: bounded(b"patients"),
					description: bounded(b"synthetic cardiology cohort"),
					schema: vec![Column { name: bounded(b"systolic"), width: ColumnWidth::U16 }]
						.try_into()
						.expect("one column"),
					rows: 64,
				},
				DatasetTerms::<Runtime> {
					price: UNIT / 100,
					programs: vec![ProgramPolicy {
						kind: ProgramKind::Mean,
						min_cohort: None,
						max_predicates: None
					}]
					.try_into()
					.expect("one program"),
					min_cohort: 5,
				},
				vec![spec(BlobKind::Ciphertexts, &rows)].try_into().expect("one chunk"),
			));
			assert_ok!(crate::DataRegistry::upload_chunk(
				origin(),
				BlobTarget::Dataset(0),
				0,
				rows.try_into().expect("below MaxChunkSize")
			));
			let dataset = pallet_data_registry::Datasets::<Runtime>::get(0).expect("registered");
			assert_eq!(dataset.status, DatasetStatus::Active);
			assert_eq!(
				<crate::Nfts as polkadot_sdk::frame_support::traits::tokens::nonfungibles_v2::Inspect<_>>::owner(&0, &0),
				Some(hospital.clone())
			);
			// The deposit is real money: a tenth of a token per entry and a milli-token per byte.
			assert!(dataset.deposit > UNIT / 10);
		});
	}
}

mod compute {
	use super::genesis_of;
	use crate::{
		configs::{HostCallGroth16, DEV_VERIFYING_KEYS},
		Runtime,
	};
	use polkadot_sdk::{
		sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
		sp_keyring::Sr25519Keyring,
	};
	use tokenfactory_primitives::{compute::DecryptionVerifier, groth16::DecryptionStatement};

	#[test]
	fn every_validator_is_a_genesis_worker_and_every_job_goes_to_all_of_them() {
		for (preset, validators) in [
			(DEV_RUNTIME_PRESET, vec![Sr25519Keyring::Alice]),
			(LOCAL_TESTNET_RUNTIME_PRESET, vec![Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]),
		] {
			genesis_of(preset).execute_with(|| {
				assert_eq!(pallet_compute::ReplicationFactor::<Runtime>::get() as usize, validators.len());
				for validator in &validators {
					let worker = pallet_compute::Workers::<Runtime>::get(validator.to_account_id())
						.unwrap_or_else(|| panic!("{validator:?} is a worker in {preset}"));
					// The worker key is the validator's dev key: `--alice` puts it in the keystore.
					assert_eq!(worker.key, validator.public());
				}
				pallet_compute::Pallet::<Runtime>::do_try_state().expect("compute invariants hold at genesis");
			});
		}
	}

	#[test]
	fn the_genesis_verifying_keys_are_valid_for_the_runtime_verifier() {
		genesis_of(DEV_RUNTIME_PRESET).execute_with(|| {
			for (blocks, _) in DEV_VERIFYING_KEYS {
				let key = pallet_compute::VerifyingKeys::<Runtime>::get(blocks).expect("a genesis key");
				assert!(HostCallGroth16::is_valid_key(&key), "the {blocks}-block key is malformed");
			}
		});
	}

	#[test]
	fn the_runtime_verifier_accepts_the_fixture_proof_and_rejects_another_statement() {
		use codec::Decode;
		let vk = include_bytes!("../zk/dev-b9.vk");
		let proof = include_bytes!("../zk/fixture-b9.proof");
		let statement = DecryptionStatement::decode(&mut &include_bytes!("../zk/fixture-b9.statement")[..])
			.expect("the fixture statement decodes");
		assert_eq!(HostCallGroth16::verify(vk, proof, &statement), Ok(()));
		let mut other = statement;
		other.job_id += 1;
		assert!(HostCallGroth16::verify(vk, proof, &other).is_err());
		assert!(HostCallGroth16::verify(vk, &proof[..100], &statement).is_err());
	}
}
