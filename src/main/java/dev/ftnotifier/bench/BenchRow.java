package dev.ftnotifier.bench;

/**
 * One poller's figures from one run. Times are seconds between the first and the last request
 * of a poll as the simulator received them; {@code scaled} marks times of the naive poller that
 * were measured on a sample of the ids and scaled up to all of them.
 *
 * @param firstWithFiles the first poll until its last notification file existed
 * @param laterRequests  requests of the second poll, when nothing new had happened
 * @param startToFirst   from starting the process to its first request
 */
record BenchRow(int jobs, String mode, String poller, double first, double firstWithFiles, double later,
                int firstRequests, int laterRequests, double cpuMsPerJobFirst, double cpuMsPerJobLater,
                double peakRssMb, double startToFirst, boolean scaled, String note) {
}
