/** A minimal episode manifest for tests that drive the policy activities without a sandbox. */
import { TOOLS } from '../../env/tools/definitions';
import type { EpisodeManifest } from '../../store/run-store';

export function testManifest(episodeId: string, system = 'You fix bugs.'): EpisodeManifest {
  return {
    schema: 'agent-dagger/episode@1',
    experimentId: 'x',
    iteration: 1,
    episodeId,
    taskId: 't',
    suite: 's',
    prompt: [
      { role: 'system', content: system },
      { role: 'user', content: 'Fix it.' },
    ],
    tools: TOOLS,
    handle: 'none',
    hostQueue: 'none',
  };
}
