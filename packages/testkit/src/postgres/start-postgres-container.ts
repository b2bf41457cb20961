/** A PostgreSQL server in a container, shared by every test database of this process. */
export interface PostgresContainer {
  /** Superuser URL of the server's `postgres` database. */
  readonly url: string;
}

let shared: Promise<PostgresContainer> | undefined;

/**
 * True when testcontainers finds a Docker (or Podman) engine that answers. Imports testcontainers
 * only now, since loading it costs most of a second.
 */
export async function containerRuntimeAnswers(onError?: (error: unknown) => void): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch (error) {
    onError?.(error);
    return false;
  }
}

/**
 * Starts one PostgreSQL container per process (image default `postgres:15-alpine`, trust auth) and
 * returns it; later calls reuse it. testcontainers' reaper removes it when the process ends.
 */
export function startPostgresContainer(image = 'postgres:15-alpine'): Promise<PostgresContainer> {
  shared ??= (async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(image)
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_PASSWORD: 'postgres' })
      .withExposedPorts(5432)
      .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
      // The image's entrypoint starts the server twice (init, then for real): wait for the second.
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    return { url: `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres` };
  })();
  shared.catch(() => (shared = undefined));
  return shared;
}
