import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { registerServiceWorker } from './lib/ui/service-worker';

const target = document.getElementById('app');
if (!target) throw new Error('Missing #app element');
mount(App, { target });
registerServiceWorker();
