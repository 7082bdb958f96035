/**
 * The sandbox operations the SWE environment uses: the shape of `DockerSandboxes` (env/sandbox/docker.ts),
 * named here so that the SWE modules depend on what they call and nothing more.
 */
import type { DockerSandboxes } from '../sandbox/docker';

export type SandboxApi = Pick<DockerSandboxes, 'create' | 'exec' | 'putFiles' | 'readFile' | 'destroy'>;
