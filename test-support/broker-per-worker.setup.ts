// CI's Mosquitto pass starts one broker per Vitest worker and lists them in MQTT_URLS (space
// separated): drones keep their plain ids (drone-1, …) on a broker, so two files sharing one would
// read each other's telemetry. Each worker takes its own as MQTT_URL, child processes included.
const urls = process.env.MQTT_URLS?.split(/\s+/).filter(Boolean) ?? [];
if (urls.length > 0) {
  const worker = Number(process.env.VITEST_POOL_ID ?? '1');
  process.env.MQTT_URL = urls[(worker - 1) % urls.length];
}
