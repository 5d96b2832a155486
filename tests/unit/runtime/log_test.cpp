// logger: nothing by default, level filtering, the lazy text, the stderr
// sink's line format.
#include "sipua/runtime/log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sipua::test {
namespace {

struct captured {
  log_level level;
  std::string component;
  std::string text;
  friend bool operator==(const captured&, const captured&) = default;
};

/// A sink that copies every record into `out`.
log_sink into(std::vector<captured>& out) {
  return [&out](const log_record& r) {
    out.push_back(captured{r.level, std::string(r.component), std::string(r.text)});
  };
}

constexpr log_level k_levels[] = {log_level::trace,   log_level::debug, log_level::info,
                                  log_level::warning, log_level::error, log_level::off};

TEST(log_level_test, Names) {
  EXPECT_EQ(to_string(log_level::trace), "trace");
  EXPECT_EQ(to_string(log_level::debug), "debug");
  EXPECT_EQ(to_string(log_level::info), "info");
  EXPECT_EQ(to_string(log_level::warning), "warning");
  EXPECT_EQ(to_string(log_level::error), "error");
  EXPECT_EQ(to_string(log_level::off), "off");
}

TEST(logger_test, DefaultIsOffAndHasNoSink) {
  const logger log;
  EXPECT_EQ(log.level(), log_level::off);
  for (const log_level l : k_levels) EXPECT_FALSE(log.enabled(l)) << to_string(l);
  int made = 0;
  log.log(log_level::error, "runtime", [&] {
    ++made;
    return std::string("never");
  });
  log.write(log_level::error, "runtime", "dropped");  // no sink: must not crash
  EXPECT_EQ(made, 0);
}

TEST(logger_test, ASinkAloneEmitsNothingWhileTheLevelIsOff) {
  std::vector<captured> got;
  logger log;
  log.set_sink(into(got));
  for (const log_level l : k_levels) {
    EXPECT_FALSE(log.enabled(l)) << to_string(l);
    log.write(l, "runtime", "x");
  }
  EXPECT_TRUE(got.empty());
}

TEST(logger_test, ALevelAloneEmitsNothingWithoutASink) {
  logger log;
  log.set_level(log_level::trace);
  int made = 0;
  for (const log_level l : k_levels) {
    EXPECT_FALSE(log.enabled(l)) << to_string(l);
    log.log(l, "runtime", [&] {
      ++made;
      return std::string("x");
    });
  }
  EXPECT_EQ(made, 0);
}

TEST(logger_test, RecordsBelowTheThresholdAreDropped) {
  std::vector<captured> got;
  logger log(into(got), log_level::warning);
  EXPECT_FALSE(log.enabled(log_level::trace));
  EXPECT_FALSE(log.enabled(log_level::debug));
  EXPECT_FALSE(log.enabled(log_level::info));
  EXPECT_TRUE(log.enabled(log_level::warning));
  EXPECT_TRUE(log.enabled(log_level::error));
  EXPECT_FALSE(log.enabled(log_level::off));  // never a record's level
  for (const log_level l : k_levels) log.write(l, "runtime", std::string(to_string(l)));
  const std::vector<captured> want = {{log_level::warning, "runtime", "warning"},
                                      {log_level::error, "runtime", "error"}};
  EXPECT_EQ(got, want);

  got.clear();
  log.set_level(log_level::trace);
  for (const log_level l : k_levels) log.write(l, "txn", std::string(to_string(l)));
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got.front(), (captured{log_level::trace, "txn", "trace"}));
  EXPECT_EQ(got.back(), (captured{log_level::error, "txn", "error"}));

  got.clear();
  log.set_level(log_level::off);
  log.write(log_level::error, "runtime", "after off");
  EXPECT_TRUE(got.empty());
}

TEST(logger_test, TheTextIsMadeOnlyWhenEnabled) {
  std::vector<captured> got;
  logger log(into(got), log_level::info);
  int made = 0;
  const auto make = [&] {
    ++made;
    return "made " + std::to_string(made);
  };
  log.log(log_level::debug, "runtime", make);
  log.log(log_level::trace, "runtime", make);
  EXPECT_EQ(made, 0);
  log.log(log_level::info, "runtime", make);
  log.log(log_level::error, "ua", make);
  EXPECT_EQ(made, 2);
  const std::vector<captured> want = {{log_level::info, "runtime", "made 1"},
                                      {log_level::error, "ua", "made 2"}};
  EXPECT_EQ(got, want);
}

TEST(logger_test, RemovingTheSinkStopsOutput) {
  std::vector<captured> got;
  logger log(into(got), log_level::trace);
  log.write(log_level::info, "runtime", "one");
  log.set_sink({});
  EXPECT_FALSE(log.enabled(log_level::error));
  log.write(log_level::error, "runtime", "two");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].text, "one");
}

TEST(logger_test, StderrSinkPrintsOneLinePerRecord) {
  const logger log(stderr_sink(), log_level::debug);
  ::testing::internal::CaptureStderr();
  log.write(log_level::warning, "runtime", "send to 127.0.0.1:5060 over UDP refused");
  log.write(log_level::debug, "ua", "hello");
  log.write(log_level::trace, "ua", "not shown");
  const std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out,
            "WARNING runtime: send to 127.0.0.1:5060 over UDP refused\n"
            "DEBUG ua: hello\n");
}

}  // namespace
}  // namespace sipua::test
