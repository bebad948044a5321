package streaming

// RaceEnabled lets the external tests size their work to the race
// detector, which slows the fake-backed trials several times.
const RaceEnabled = raceEnabled
