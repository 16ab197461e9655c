import { z } from 'zod';
import { channel } from '../define';
import { DeviceSchema, NetworkInterfaceSchema } from '../../domain/discovery';
import { DeviceSeenSchema, ScanFinishedSchema, ScanOptionsSchema, ScanProgressSchema, ScanSummarySchema } from '../../domain/scan';

/** Discovery channels. */
export const discoveryRequests = {
  'discovery:list-interfaces': channel(z.object({}).strict(), z.object({ interfaces: z.array(NetworkInterfaceSchema) }), 'Network interfaces with IPv4 addresses, classified; physical ones are chosen by default.'),
  'discovery:start': channel(ScanOptionsSchema, z.object({ operationId: z.string() }), 'Starts a scan; results stream as discovery:camera-found / camera-updated events.'),
  'discovery:cancel': channel(z.object({ operationId: z.string() }).strict(), z.object({ isCancelled: z.boolean() }), 'Cancels a running scan (all its traffic stops).'),
  'discovery:get-state': channel(
    z.object({}).strict(),
    z.object({ cameras: z.array(DeviceSchema), otherDevices: z.array(DeviceSchema), operations: z.array(ScanSummarySchema) }),
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
  'discovery:camera-found': DeviceSeenSchema,
  'discovery:camera-updated': DeviceSeenSchema,
  'discovery:progress': ScanProgressSchema,
  'discovery:finished': ScanFinishedSchema,
} as const;
