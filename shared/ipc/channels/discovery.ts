import { z } from 'zod';
import { channel } from '../define';
import { DeviceSchema, NetworkInterfaceSchema, SCAN_METHODS, ScanProblemSchema } from '../../domain/discovery';

/** Options of one scan (every field optional; the service fills defaults). */
export const ScanOptionsSchema = z
  .object({
    /** Methods to run together (default: ssdp, wsd, mdns; but only the sweep and/or host probes when `sweep` or `hosts` is given). */
    methods: z.array(z.enum(SCAN_METHODS)).min(1).optional(),
    /** Interface names for the multicast methods (default: every physical interface). */
    interfaces: z.array(z.string().min(1)).optional(),
    /** CIDR range for the HTTP sweep, e.g. 192.168.0.0/24. */
    sweep: z.string().min(1).optional(),
    /** Hosts (IP or name) to probe directly with unicast M-SEARCH and HTTP (routed subnets). */
    hosts: z.array(z.string().min(1)).optional(),
    /** HTTP port of the cameras' web UI (default 80). */
    httpPort: z.number().int().min(1).max(65535).optional(),
    /** How long the multicast methods listen for answers, in ms (default 3000). */
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    /** Repeat the scan this often (ms) until cancelled; devices unseen for 45 s go offline. */
    repeatEveryMs: z.number().int().min(5_000).max(3_600_000).optional(),
  })
  .strict();
/** Options of one scan. */
export type ScanOptions = z.infer<typeof ScanOptionsSchema>;

/** State of one scan operation. */
export const OperationStatusSchema = z.enum(['running', 'completed', 'cancelled', 'failed']);

/** Progress counters of one scan. */
export const ScanProgressSchema = z.object({
  operationId: z.string(),
  /** Probes done / planned (multicast listening windows count as one each). */
  done: z.number().int(),
  total: z.number().int(),
  found: z.number().int(),
  phase: z.string(),
});

/** Summary of one operation. */
export const OperationSummarySchema = z.object({
  operationId: z.string(),
  status: OperationStatusSchema,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  progress: ScanProgressSchema,
  warnings: z.array(ScanProblemSchema),
  errors: z.array(ScanProblemSchema),
});

/** Discovery channels. */
export const discoveryRequests = {
  'discovery:list-interfaces': channel(z.object({}).strict(), z.object({ interfaces: z.array(NetworkInterfaceSchema) }), 'Network interfaces with IPv4 addresses, classified; physical ones are chosen by default.'),
  'discovery:start': channel(ScanOptionsSchema, z.object({ operationId: z.string() }), 'Starts a scan; results stream as discovery:camera-found / camera-updated events.'),
  'discovery:cancel': channel(z.object({ operationId: z.string() }).strict(), z.object({ isCancelled: z.boolean() }), 'Cancels a running scan (all its traffic stops).'),
  'discovery:get-state': channel(
    z.object({}).strict(),
    z.object({ cameras: z.array(DeviceSchema), otherDevices: z.array(DeviceSchema), operations: z.array(OperationSummarySchema) }),
    'All devices found so far (Sarix cameras and other devices) and the recent scans.',
  ),
  'discovery:add-manual': channel(
    z.object({ host: z.string().min(1).max(253), httpPort: z.number().int().min(1).max(65535).optional() }).strict(),
    z.object({ device: DeviceSchema }),
    'Adds a device by IP address or host name after probing its web UI.',
  ),
} as const;

/** Discovery pushed events. */
export const discoveryEvents = {
  'discovery:camera-found': z.object({ operationId: z.string().nullable(), device: DeviceSchema }),
  'discovery:camera-updated': z.object({ operationId: z.string().nullable(), device: DeviceSchema }),
  'discovery:progress': ScanProgressSchema,
  'discovery:finished': z.object({
    operationId: z.string(),
    status: OperationStatusSchema,
    cameraCount: z.number().int(),
    otherCount: z.number().int(),
    durationMs: z.number(),
    warnings: z.array(ScanProblemSchema),
    errors: z.array(ScanProblemSchema),
  }),
} as const;
