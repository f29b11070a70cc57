/** The one cluster the e2e tier boots and every e2e file shares. */
export const E2E_CLUSTER = process.env.SHAKEDOWN_E2E_CLUSTER ?? 'shakedown-e2e';
export const STATE_DIR = '.shakedown';
