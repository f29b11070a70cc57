// Every fault type shakedown knows. A new fault: one folder, one line here.
import type { FaultType } from './types.ts';
import { controlPlaneOutage } from './control-plane-outage/index.ts';
import { dnsOutage } from './dns-outage/index.ts';
import { networkPartition } from './network-partition/index.ts';
import { nodeRestart } from './node-restart/index.ts';
import { nodeStop } from './node-stop/index.ts';
import { packetLoss } from './packet-loss/index.ts';
import { podKill } from './pod-kill/index.ts';
import { resourcePressure } from './resource-pressure/index.ts';
import { rollingUpgrade } from './rolling-upgrade/index.ts';
import { spotDrain } from './spot-drain/index.ts';
import { zoneOutage } from './zone-outage/index.ts';

export const faultTypes: Record<string, FaultType<any>> = {
  [controlPlaneOutage.type]: controlPlaneOutage,
  [dnsOutage.type]: dnsOutage,
  [networkPartition.type]: networkPartition,
  [nodeRestart.type]: nodeRestart,
  [nodeStop.type]: nodeStop,
  [packetLoss.type]: packetLoss,
  [podKill.type]: podKill,
  [resourcePressure.type]: resourcePressure,
  [rollingUpgrade.type]: rollingUpgrade,
  [spotDrain.type]: spotDrain,
  [zoneOutage.type]: zoneOutage,
};
