// The outputs of `vtasim calibrate`: calibration.csv (per measurement: measured, model before and
// after, relative errors, the leave-one-out prediction), calibration.md (fitted values with units,
// errors before and after, the cross-validation error, which parameters the data could not
// identify) and the model-against-measured figure.
#pragma once

#include <string>
#include <vector>

#include "plots/figure.h"
#include "runtime/calibration.h"

namespace vtasim {

std::string calibration_csv(const CalibrationOutcome& out, const std::vector<Measurement>& m);
std::string calibration_markdown(const CalibrationOutcome& out, const std::vector<Measurement>& m,
                                 const std::string& measurements_file, const std::vector<std::string>& figures);
// One point of a model-against-measured figure.
struct MeasuredPoint {
  std::string layer;
  uint32_t threads = 1;
  double measured = 0, model = 0;  // GOPS
  double before = 0;               // an earlier model's GOPS, drawn faintly (0: none)
};
// Model against measured GOPS, log-log, the y = x line and a +/-10% band; one marker per thread
// count, each point labelled with its layer.
Figure model_vs_measured_figure(const std::string& name, const std::string& title, const std::vector<MeasuredPoint>& p);
std::vector<MeasuredPoint> measured_points(const CalibrationOutcome& out, const std::vector<Measurement>& m);

}  // namespace vtasim
