//! Storage migrations, run on storage written in the old format.

use crate::{migrations::v1, mock::*, DataCatalog, KeySets};
use polkadot_sdk::frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

#[test]
fn v1_leaves_an_old_key_set_without_a_decryptor_until_its_owner_names_one() {
	build_and_execute(|| {
		StorageVersion::new(0).put::<DataRegistry>();
		let key_set = ready_key_set(&hospital());
		let new = KeySets::<Test>::get(key_set).expect("registered");
		v1::v0::KeySets::<Test>::insert(
			key_set,
			v1::KeySetV0::<Test> {
				owner: new.owner.clone(),
				deposit: new.deposit,
				parameter_set: new.parameter_set,
				key_commitment: new.key_commitment,
				blob_count: new.blob_count,
				missing: new.missing,
				datasets: new.datasets,
			},
		);

		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();

		let migrated = KeySets::<Test>::get(key_set).expect("kept");
		assert_eq!(migrated.decryptor, None);
		assert_eq!((migrated.owner, migrated.deposit), (new.owner, new.deposit));
		assert_eq!(DataRegistry::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(<DataRegistry as DataCatalog<_, _, _>>::decryptor(key_set), None);
		polkadot_sdk::frame_support::assert_ok!(DataRegistry::set_decryptor(
			RuntimeOrigin::signed(hospital()),
			key_set,
			decryptor()
		));
		assert_eq!(<DataRegistry as DataCatalog<_, _, _>>::decryptor(key_set), Some(decryptor()));
	});
}
