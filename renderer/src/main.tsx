import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import './i18n';
import { LanguageSync } from './i18n/language-sync';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LanguageSync />
    <App />
  </StrictMode>,
);
