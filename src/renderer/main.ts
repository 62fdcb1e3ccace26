import { mount } from 'svelte';
import App from './App.svelte';
import { connectDashboard } from './lib/api.js';
import { Miner } from './lib/miner.svelte.js';

const miner = new Miner(connectDashboard(window.location));
mount(App, { target: document.getElementById('app')!, props: { miner } });
