/**
 * Defaults of the host-loss settings (config `rollout.sandbox`: the workspace snapshot's bound and the wait in a
 * host's queue before the host counts as lost), also applied to workflow inputs recorded before these settings
 * existed. Plain constants, so workflow code may import them (docs/cluster.md, "When a Docker host is lost").
 */
export const HOST_LOSS_DEFAULTS = {
  snapshotMaxBytes: 8 * 1024 * 1024,
  hostLossTimeoutS: 60,
} as const;
