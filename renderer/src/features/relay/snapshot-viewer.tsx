import { Button, Group, Loader, Modal, SegmentedControl, Text } from '@mantine/core';
import { useElementSize, useMergedRef } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import type { Snapshot } from '../../../../shared/domain/relay-inbox';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { saveBase64 } from '../../lib/download';
import { useTranslation } from 'react-i18next';

const STEPS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8];

/**
 * A snapshot at full size with zoom: fit to the window, 100 %, zoom in and out (buttons, +/-, the mouse wheel),
 * drag or scroll to pan. The JPEG is the machine side's re-encoding (relay:get-snapshot), never the camera's bytes.
 */
export function SnapshotViewer({ id, index, onClose }: { id: string; index: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [snap, setSnap] = useState<Snapshot | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [zoom, setZoom] = useState<'fit' | number>('fit');
  const box = useRef<HTMLDivElement>(null);
  const size = useElementSize<HTMLDivElement>();
  const boxRef = useMergedRef(box, size.ref);
  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);

  useEffect(() => {
    void api.relayGetSnapshot({ id, index }).then((r) => (r.ok ? setSnap(r.value) : setError(r.error)));
  }, [id, index]);

  const fitScale = () => {
    if (!snap || !size.width || !size.height) return 1;
    return Math.min(1, (size.width - 8) / snap.width, (size.height - 8) / snap.height);
  };
  const current = zoom === 'fit' ? fitScale() : zoom;
  const step = (dir: 1 | -1) => {
    const next = dir > 0 ? STEPS.find((s) => s > current + 1e-3) : [...STEPS].reverse().find((s) => s < current - 1e-3);
    if (next) setZoom(next);
  };
  const download = async () => {
    const r = await api.relayGetAttachment({ id, index });
    if (r.ok) saveBase64(r.value.filename, r.value.contentType, r.value.base64);
    else setError(r.error);
  };

  return (
    <Modal opened onClose={onClose} size="100%" title={snap ? `${snap.filename} · ${snap.width} × ${snap.height}` : t('relay.snapshot.title')} data-testid="snapshot-viewer">
      {error && <ErrorAlert error={error} title={t('relay.snapshot.failed')} />}
      {!snap && !error && <Loader size="sm" />}
      {snap && (
        <>
          <Group mb="xs" gap="xs">
            <SegmentedControl
              size="xs"
              value={zoom === 'fit' ? 'fit' : zoom === 1 ? '1' : 'custom'}
              onChange={(v) => setZoom(v === 'fit' ? 'fit' : 1)}
              data={[
                { label: t('relay.snapshot.fit'), value: 'fit' },
                { label: '100 %', value: '1' },
                ...(zoom !== 'fit' && zoom !== 1 ? [{ label: `${Math.round(current * 100)} %`, value: 'custom' }] : []),
              ]}
            />
            <Button size="xs" variant="default" onClick={() => step(-1)} aria-label={t('relay.snapshot.zoomOut')}>
              −
            </Button>
            <Button size="xs" variant="default" onClick={() => step(1)} aria-label={t('relay.snapshot.zoomIn')}>
              +
            </Button>
            <Text size="xs" c="dimmed" data-testid="snapshot-zoom">
              {Math.round(current * 100)} %
            </Text>
            <Button size="xs" variant="light" onClick={() => void download()}>
              {t('relay.snapshot.downloadOriginal')}
            </Button>
          </Group>
          <div
            ref={boxRef}
            tabIndex={0}
            data-testid="snapshot-box"
            onKeyDown={(e) => {
              if (e.key === '+' || e.key === '=') step(1);
              if (e.key === '-') step(-1);
              if (e.key === '0') setZoom('fit');
            }}
            onWheel={(e) => {
              if (!e.ctrlKey && !e.metaKey && zoom === 'fit') return;
              e.preventDefault();
              step(e.deltaY < 0 ? 1 : -1);
            }}
            onMouseDown={(e) => {
              const el = box.current;
              if (el) drag.current = { x: e.clientX, y: e.clientY, left: el.scrollLeft, top: el.scrollTop };
            }}
            onMouseMove={(e) => {
              const el = box.current;
              if (!el || !drag.current) return;
              el.scrollLeft = drag.current.left - (e.clientX - drag.current.x);
              el.scrollTop = drag.current.top - (e.clientY - drag.current.y);
            }}
            onMouseUp={() => (drag.current = null)}
            onMouseLeave={() => (drag.current = null)}
            style={{ height: '75vh', overflow: 'auto', background: '#111', borderRadius: 6, cursor: zoom === 'fit' ? 'zoom-in' : 'grab', display: 'grid', placeItems: zoom === 'fit' ? 'center' : 'start' }}
            onDoubleClick={() => setZoom(zoom === 'fit' ? 1 : 'fit')}
          >
            <img
              src={snap.dataUrl}
              alt={t('relay.snapshot.fullAlt', { file: snap.filename })}
              draggable={false}
              width={Math.round(snap.width * current)}
              height={Math.round(snap.height * current)}
              style={{ imageRendering: current > 2 ? 'pixelated' : 'auto', maxWidth: 'none' }}
            />
          </div>
          <Text size="xs" c="dimmed" mt={4}>
            {t('relay.snapshot.hint')}
          </Text>
        </>
      )}
    </Modal>
  );
}
