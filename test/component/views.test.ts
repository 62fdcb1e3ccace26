import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../../src/renderer/App.svelte';
import SpendForm from '../../src/renderer/components/SpendForm.svelte';
import { Miner } from '../../src/renderer/lib/miner.svelte.js';
import Overview from '../../src/renderer/views/Overview.svelte';
import Peers from '../../src/renderer/views/Peers.svelte';
import Settings from '../../src/renderer/views/Settings.svelte';
import Wallet from '../../src/renderer/views/Wallet.svelte';
import { DEFAULT_SETTINGS } from '../../src/shared/settings.js';
import { fakeTransport, peer, snapshotOf } from './fixtures.js';

describe('the app shell', () => {
  it('has a navigation link for every view and shows alerts', async () => {
    const s = snapshotOf({ alerts: [{ id: 'no-progress', level: 'warning', message: 'no training step for 95 s' }] });
    render(App, { miner: new Miner(fakeTransport(s)) });
    const nav = screen.getByRole('navigation', { name: 'Views' });
    for (const name of ['Overview', 'Earnings', 'Peers', 'Trust graph', 'Wallet', 'Settings']) {
      expect(within(nav).getByRole('link', { name })).toBeTruthy();
    }
    expect(screen.getByRole('alert').textContent).toContain('no training step for 95 s');
  });

  it('Pause shows at once from the host answer, and the button becomes Resume', async () => {
    const running = snapshotOf();
    const paused = snapshotOf({
      contribution: { state: 'paused', reason: 'paused by you', share: 0, processor: 'cpu' },
    });
    const transport = fakeTransport(running, (method) => (method === 'pause' ? paused : running));
    render(App, { miner: new Miner(transport) });
    await fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeTruthy();
    expect(screen.getByText('paused by you', { exact: false })).toBeTruthy();
    expect(transport.calls.map(([m]) => m)).toEqual(['pause']);
  });
});

describe('Overview', () => {
  it("shows what was dropped: peers' gradients, failed requests to peers, failed event handlers", () => {
    const s = snapshotOf({ listenerFailures: 2 });
    s.training = { ...s.training, gradientsDropped: 7, forwardFailures: 3 };
    render(Overview, { miner: new Miner(fakeTransport(s)) });
    expect(screen.getByTestId('dropped').textContent).toBe('7');
    expect(screen.getByTestId('forward-failures').textContent).toBe('3');
    expect(screen.getByTestId('listener-failures').textContent).toBe('2');
    expect(screen.getByText('Requests to peers that failed', { exact: false })).toBeTruthy();
  });

  it("shows the backend with its self-test's step time and why each other rung was passed over", () => {
    const plain = render(Overview, { miner: new Miner(fakeTransport(snapshotOf())) });
    expect(screen.getByTestId('backend').textContent!.trim()).toBe('wasm (cpu)');
    expect(screen.queryByTestId('backend-step')).toBeNull();
    expect(screen.queryByTestId('passed-over')).toBeNull();
    plain.unmount();
    const s = snapshotOf({
      backend: {
        name: 'wasm',
        device: 'CPU, WebAssembly SIMD',
        stepMs: 94.6,
        model: 'small: 2 blocks of 256, 8 x 64 tokens, 2,049 classes',
        passedOver: [
          'webgpu: software adapter (SwiftShader driver 5.0.0); choose it with --backend webgpu',
          'tensorflow-gpu: @tensorflow/tfjs-node-gpu is not installed',
        ],
      },
    });
    render(Overview, { miner: new Miner(fakeTransport(s)) });
    expect(screen.getByTestId('backend-step').textContent).toMatch(/self-test: 95 ms a step$/);
    expect(screen.getByTestId('backend-model').textContent).toBe(
      '· model small: 2 blocks of 256, 8 x 64 tokens, 2,049 classes',
    );
    const reasons = within(screen.getByTestId('passed-over'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(reasons).toEqual(s.backend.passedOver);
  });

  it("shows the training GPU's readings when the host has them, and only those it has", () => {
    const plain = render(Overview, { miner: new Miner(fakeTransport(snapshotOf())) });
    expect(screen.queryByTestId('gpu')).toBeNull();
    plain.unmount();
    const gpu = {
      name: 'NVIDIA H200',
      utilizationPct: 35.4,
      temperatureC: 61.6,
      memoryUsedMiB: 1024,
      memoryTotalMiB: 143771,
    };
    const full = render(Overview, {
      miner: new Miner(fakeTransport(snapshotOf({ machine: { temperatureC: 48, cores: 4, gpu } }))),
    });
    expect(screen.getByTestId('gpu-name').textContent).toBe('NVIDIA H200');
    expect(screen.getByTestId('gpu-utilization').textContent).toBe('· 35% busy');
    expect(screen.getByTestId('gpu-temperature').textContent).toBe('· 62 °C');
    expect(screen.getByTestId('gpu-memory').textContent).toBe('· memory 1,024 of 143,771 MiB');
    full.unmount();
    render(Overview, {
      miner: new Miner(
        fakeTransport(
          snapshotOf({ machine: { temperatureC: null, cores: 4, gpu: { name: 'NVIDIA T4', temperatureC: 70 } } }),
        ),
      ),
    });
    expect(screen.getByTestId('gpu').textContent!.replace(/\s+/g, ' ').trim()).toBe('NVIDIA T4 · 70 °C');
    expect(screen.queryByTestId('gpu-utilization')).toBeNull();
    expect(screen.queryByTestId('gpu-memory')).toBeNull();
  });
});

describe('Peers', () => {
  it('sorts by a column, and again the other way', async () => {
    const s = snapshotOf({
      peers: [peer(0, { stake: '5' }), peer(1, { stake: '50', isUs: true }), peer(2, { stake: '20' })],
    });
    render(Peers, { miner: new Miner(fakeTransport(s)) });
    const uids = () =>
      screen
        .getAllByRole('row')
        .slice(1)
        .map((r) => Number.parseInt(r.querySelector('td')!.textContent!, 10));
    expect(uids()).toEqual([0, 1, 2]);
    await fireEvent.click(screen.getByRole('button', { name: 'stake' }));
    expect(uids()).toEqual([1, 2, 0]); // largest first
    await fireEvent.click(screen.getByRole('button', { name: 'stake' }));
    expect(uids()).toEqual([0, 2, 1]);
    expect(screen.getByText('(us)', { exact: false })).toBeTruthy();
  });
});

describe('SpendForm (transfer, stake, unstake)', () => {
  const setup = (unlocked: boolean, submit: (r: unknown) => Promise<never>) => {
    const requests: unknown[] = [];
    render(SpendForm, {
      title: 'Transfer',
      withRecipient: true,
      unlocked,
      describe: (amount: string, to: string) => `Send ${amount} tokens to ${to}?`,
      submit: (r: unknown) => (requests.push(r), submit(r)),
    });
    return requests;
  };

  it('signs nothing before Confirm, asks for the password when locked, and sends what was confirmed', async () => {
    const requests = setup(false, async () => ({ tx: 'ab', block: 42, wallet: {} }) as never);
    await fireEvent.input(screen.getByLabelText('To'), { target: { value: '5Dest' } });
    await fireEvent.input(screen.getByLabelText('Amount'), { target: { value: '2.5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(requests).toEqual([]);
    expect(screen.getByText('Send 2.5 tokens to 5Dest?')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Password to confirm'), { target: { value: 'secret words' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Included in block 42.')).toBeTruthy();
    expect(requests).toEqual([{ amount: '2.5', to: '5Dest', password: 'secret words' }]);
  });

  it('shows a refusal as one line and keeps the form', async () => {
    setup(true, async () => {
      throw new Error('insufficient balance: 5 asked, 1 free');
    });
    await fireEvent.input(screen.getByLabelText('To'), { target: { value: '5Dest' } });
    await fireEvent.input(screen.getByLabelText('Amount'), { target: { value: '5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.queryByLabelText('Password to confirm')).toBeNull(); // unlocked: no password asked
    await fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect((await screen.findByRole('alert')).textContent).toBe('insufficient balance: 5 asked, 1 free');
    expect(screen.getByRole('button', { name: 'Confirm' })).toBeTruthy();
  });

  it('refuses a malformed amount before confirming', async () => {
    const requests = setup(true, async () => ({}) as never);
    await fireEvent.input(screen.getByLabelText('To'), { target: { value: '5Dest' } });
    await fireEvent.input(screen.getByLabelText('Amount'), { target: { value: '1,5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByRole('alert').textContent).toMatch(/^Amount: /);
    expect(screen.queryByRole('button', { name: 'Confirm' })).toBeNull();
    expect(requests).toEqual([]);
  });
});

describe('Wallet', () => {
  it('names each password field for what it is for (unlocking spending, confirming a spend)', async () => {
    render(Wallet, { miner: new Miner(fakeTransport(snapshotOf())) });
    const transfer = screen.getByRole('form', { name: 'Transfer' });
    await fireEvent.input(within(transfer).getByLabelText('To'), { target: { value: '5Dest' } });
    await fireEvent.input(within(transfer).getByLabelText('Amount'), { target: { value: '1' } });
    await fireEvent.click(within(transfer).getByRole('button', { name: 'Send' }));
    const names = [...document.querySelectorAll('input[type=password]')].map((i) => i.getAttribute('name'));
    expect(names).toEqual(['unlock-spending-password', 'transfer-confirm-password']);
  });
});

describe('Settings', () => {
  it('enables the GPU share and says what it does while the neuron trains on a GPU; a note otherwise', async () => {
    const answer = (method: string) => (method === 'settings' ? { ...DEFAULT_SETTINGS } : undefined);
    const cpu = render(Settings, {
      miner: new Miner(fakeTransport(snapshotOf({ machine: { temperatureC: 51, cores: 4 } }), answer)),
    });
    const share = await screen.findByLabelText<HTMLInputElement>(/GPU share/);
    expect(share.disabled).toBe(true);
    expect(screen.getByTestId('gpu-note').textContent).toMatch(/No GPU backend is in use.*GPU\s+share has no effect/s);
    expect(screen.queryByTestId('gpu-share-hint')).toBeNull();
    expect(screen.getByTestId('temperature').textContent!.trim()).toBe('CPU temperature now: 51 °C.');
    cpu.unmount();
    const onGpu = snapshotOf({
      backend: { name: 'webgpu', device: 'WebGPU, NVIDIA H200 (Vulkan)' },
      machine: { temperatureC: null, cores: 4, gpu: { name: 'NVIDIA H200', temperatureC: 66.2 } },
    });
    render(Settings, { miner: new Miner(fakeTransport(onGpu, answer)) });
    expect((await screen.findByLabelText<HTMLInputElement>(/GPU share/)).disabled).toBe(false);
    expect(screen.queryByTestId('gpu-note')).toBeNull();
    expect(screen.getByTestId('gpu-share-hint').textContent).toMatch(
      /trains on the GPU \(webgpu\).*share of the time/s,
    );
    expect(screen.getByTestId('temperature').textContent!.trim()).toBe(
      'This machine reports no CPU temperature. GPU temperature now: 66 °C.',
    );
  });

  it('saves the form through the API, and shows the host refusal as one line', async () => {
    let saved: unknown;
    const transport = fakeTransport(snapshotOf(), (method, argument) => {
      if (method === 'settings') return { ...DEFAULT_SETTINGS };
      if (method === 'updateSettings') {
        if (!/^https?:/.test((argument as { ledgerUrl: string | null }).ledgerUrl ?? 'http:')) {
          throw new Error('ledgerUrl: must be an http:// or https:// URL');
        }
        return (saved = argument);
      }
      return undefined;
    });
    render(Settings, { miner: new Miner(transport) });
    const idle = await screen.findByLabelText(/idle for/);
    // The machine's cores bound the field; the hint says how the cores are used and when a change applies.
    const cores = screen.getByLabelText<HTMLInputElement>('CPU cores (0.1 to 4)');
    expect([cores.min, cores.max, cores.value]).toEqual(['0.1', '4', '1']);
    expect(screen.getByTestId('cpu-hint').textContent).toMatch(
      /^\s*One thread trains, all the time\. .*Threads that do not make its first steps\s+faster are let go .*A new number of threads applies at the next start of\s+the neuron, fewer cores at once; --cpu-cores on the command line overrides it\.\s*$/s,
    );
    await fireEvent.input(cores, { target: { value: '1.5' } });
    expect(screen.getByTestId('cpu-hint').textContent).toMatch(
      /^\s*2 threads train side by side, each 75% of the time\./,
    );
    expect(screen.getByTestId('data-dir').textContent).toBe('/home/miner/.bittensor-miner');
    await fireEvent.input(idle, { target: { value: '17' } });
    await fireEvent.input(screen.getByLabelText(/Schedule/), { target: { value: '1-5 18:00-08:00' } });
    await fireEvent.input(screen.getByLabelText(/Neuron port/), { target: { value: '4001' } });
    await fireEvent.click(screen.getByLabelText(/UPnP/));
    const backend = screen.getByLabelText<HTMLSelectElement>(/Training backend/);
    expect([...backend.options].map((o) => o.value)).toEqual([
      'auto',
      'webgpu',
      'tensorflow-gpu',
      'tensorflow',
      'wasm',
      'cpu',
    ]);
    expect(backend.value).toBe('auto');
    expect(screen.getByTestId('backend-hint').textContent).toMatch(
      /software GPU adapter is used only\s+when chosen\. Applies at the next start of the neuron/,
    );
    await fireEvent.change(backend, { target: { value: 'webgpu' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(saved).toMatchObject({
      idleMinutes: 17,
      schedule: [{ days: [1, 2, 3, 4, 5], start: '18:00', end: '08:00' }],
      neuronPort: 4001,
      upnp: false,
      backend: 'webgpu',
      cpuCores: 1.5,
    });
    await fireEvent.input(screen.getByLabelText(/Ledger address/), { target: { value: 'ftp://example.org' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('ledgerUrl: must be an http:// or https:// URL');
  });
});
