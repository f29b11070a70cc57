// Names of the probe pods' world, apart from the code that deploys them so
// the assertion can describe itself without loading the Kubernetes client.
export const PROBE_LABEL = 'shakedown.dev/probe';
/** Two namespaces: cross-namespace traffic between pods that no policy selects. */
export const PROBE_NAMESPACES = ['shakedown-probe-a', 'shakedown-probe-b'];
export const PROBE_CONTAINER = 'agent';
