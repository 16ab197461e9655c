/** The runtime import cycles among the .ts/.tsx files under `dirs` (each cycle as a list of paths). */
export function findCycles(dirs: string[], baseDir?: string): Promise<string[][]>;
