/** Test support for renderer component tests: render inside the app's Mantine provider (happy-dom). */
import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
// The app's i18next instance (English in the DOM test environment), as main.tsx sets it up for the real renderer.
import '../i18n';

// happy-dom has no FontFaceSet; Mantine's autosize Textarea listens to document.fonts for 'loadingdone'.
if (typeof document !== 'undefined' && !('fonts' in document)) {
  Object.defineProperty(document, 'fonts', { value: { addEventListener: () => undefined, removeEventListener: () => undefined }, configurable: true });
}

/** Renders a component the way the app does (Mantine theme and styles context). */
export function renderWithMantine(ui: ReactElement): RenderResult {
  return render(<MantineProvider>{ui}</MantineProvider>);
}
