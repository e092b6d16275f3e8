using System.Collections.Generic;
using AutoGrad.Samples.Data;
using Spectre.Console;

namespace AutoGrad.Samples.Training;

/// <summary>Trains a list of runs one after another under Spectre.Console progress bars, one bar per run.</summary>
public static class TrainingProgress
{
    /// <summary>Runs every plan in order and returns the runs in the same order.</summary>
    public static IReadOnlyList<TrainingRun> TrainAll(IAnsiConsole console, DigitsSplit data, IReadOnlyList<RunPlan> plans)
    {
        var runs = new List<TrainingRun>(plans.Count);
        if (!console.Profile.Capabilities.Interactive)
        {
            // A log or a pipe: snapshots of progress bars would read like results ("tanh, Xavier: 88%"), so one line
            // per finished run instead.
            foreach (RunPlan plan in plans)
            {
                TrainingRun run = plan.Train(data, _ => { });
                string stopped = run.StoppedEarly ? $" (stopped at step {run.Steps})" : string.Empty;
                console.MarkupLine(Markup.Escape($"trained {plan.Name}: {run.Steps} steps{stopped}"));
                runs.Add(run);
            }
            return runs;
        }
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var tasks = new List<ProgressTask>();
                foreach (RunPlan plan in plans)
                {
                    tasks.Add(context.AddTask(Markup.Escape(plan.Name), autoStart: false, maxValue: plan.Settings.Steps));
                }
                for (int i = 0; i < plans.Count; i++)
                {
                    ProgressTask task = tasks[i];
                    task.StartTask();
                    TrainingRun run = plans[i].Train(data, done => task.Value = done);
                    // A run the monitor stopped early is done too: fill its bar and say why it is short.
                    if (run.StoppedEarly) task.Description = Markup.Escape($"{plans[i].Name} (stopped at step {run.Steps})");
                    task.Value = task.MaxValue;
                    task.StopTask();
                    runs.Add(run);
                }
            });
        return runs;
    }
}
