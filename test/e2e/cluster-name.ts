/** The one cluster the e2e tier boots and every e2e file shares. */
export const E2E_CLUSTER = process.env.SHAKEDOWN_E2E_CLUSTER ?? 'shakedown-e2e';
/** Where the tier's runs, clusters and ledgers are kept: each shard of the tier has its own (scripts/e2e-shards.sh). */
export const STATE_DIR = process.env.SHAKEDOWN_STATE_DIR ?? '.shakedown';
