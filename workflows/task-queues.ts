/** The task queues: each worker role polls its own, so each can run on other machines. */
export const TASK_QUEUES = { orchestrate: 'orchestrate', rollout: 'rollout', train: 'train' } as const;

/** The queue of one Docker host's sandbox activities, where an episode's commands reach its container. */
export function hostQueue(hostId: string): string {
  return `${TASK_QUEUES.rollout}@${hostId}`;
}
