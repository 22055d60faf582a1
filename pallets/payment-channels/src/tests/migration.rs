//! Storage migrations, run on storage written in the old format.

use crate::{migrations::v1, mock::*, Channels};
use polkadot_sdk::frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

#[test]
fn v1_keeps_the_settled_amount_as_the_claim_lane_and_opens_an_empty_job_lane() {
	build_and_execute(|| {
		StorageVersion::new(0).put::<PaymentChannels>();
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(channel, 30);
		polkadot_sdk::frame_support::assert_ok!(PaymentChannels::claim(
			RuntimeOrigin::signed(bob()),
			voucher,
			signature
		));
		let new = Channels::<Test>::get(channel).expect("open");
		v1::v0::Channels::<Test>::insert(
			channel,
			v1::ChannelV0 {
				payer: new.payer.clone(),
				payee: new.payee.clone(),
				deposit: new.deposit,
				settled: new.settled,
				storage_deposit: new.storage_deposit,
				closes_at: new.closes_at,
			},
		);

		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();

		let migrated = Channels::<Test>::get(channel).expect("kept");
		assert_eq!((migrated.deposit, migrated.settled), (100, 30));
		assert_eq!((migrated.charged, migrated.job_nonce), (0, 0));
		assert_eq!(migrated.unsettled(), 70);
		assert_eq!(PaymentChannels::on_chain_storage_version(), StorageVersion::new(1));
	});
}
