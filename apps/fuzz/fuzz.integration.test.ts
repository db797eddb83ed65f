import { describe, expect, it } from 'vitest';
import { brokerForTests, uniqueManufacturer } from '../../controller/transport/test-broker.js';
import { runFuzz } from './fuzz-system.js';

describe('fuzz: malformed input on every HTTP route and MQTT topic', () => {
  it('never crashes, never answers 5xx, and refuses every bad case with a reason', async () => {
    const broker = await brokerForTests();
    try {
      const report = await runFuzz({ mqttUrl: broker.url, manufacturer: uniqueManufacturer('fuzz'), httpPerRoute: 30, mqttPerTopic: 150, seed: 42 });
      expect(report.http.failures).toEqual([]);
      // GETs without parameters answer whatever comes; everything else mostly refuses.
      expect(report.http.rejected + report.http.accepted).toBe(report.http.cases);
      expect(report.http.rejected).toBeGreaterThan(report.http.cases / 4);
      for (const row of report.mqtt) {
        expect(row.invalid, row.name).toBeGreaterThan(row.cases / 2);
        expect(row.droppedWithReason, row.name).toBe(row.invalid);
      }
      expect(report.alive).toEqual({ controller: true, robot: true, drone: true });
    } finally {
      await broker.close();
    }
  }, 60_000);

  it('with sign-in on and valid-shaped mission bodies (reaching the planner): never 5xx, every refusal with a reason', async () => {
    const broker = await brokerForTests();
    try {
      const report = await runFuzz({ mqttUrl: broker.url, manufacturer: uniqueManufacturer('fuzz'), httpPerRoute: 15, mqttPerTopic: 10, seed: 43, signIn: true });
      expect(report.http.failures).toEqual([]);
      expect(report.http.rejected).toBeGreaterThan(report.http.cases / 4);
      expect(report.alive).toEqual({ controller: true, robot: true, drone: true });
    } finally {
      await broker.close();
    }
  }, 120_000);
});
