/** The patch build B of the rolling-upgrade test adds (upgrade-build-b.ts), shared with the test's checks. */

/** The patch id of build B's change. */
export const BUILD_B_PATCH = 'rolling-upgrade-test-memo';

/** The memo build B's runs carry, and only those. */
export const BUILD_B_MEMO = { flowstateUpgradeTest: 'started on build B' };
